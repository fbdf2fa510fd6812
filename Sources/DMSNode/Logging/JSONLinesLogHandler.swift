import DMSCore
import Foundation
import Logging

/// Writes each log entry as one JSON object per line (`time`, `level`, `label`, `message`, metadata
/// fields, `source`) so logs can be shipped and queried by machines.
public struct JSONLinesLogHandler: LogHandler {
    /// Read from (and written to) the daemon's shared level, so a change reaches every logger at once.
    public var logLevel: Logger.Level {
        get { levels.level }
        nonmutating set { levels.set(newValue) }
    }
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let levels: LogLevelControl
    private let label: String
    private let file: RotatingLogFile

    public init(
        label: String, file: RotatingLogFile, levels: LogLevelControl, metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.file = file
        self.levels = levels
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [(key: String, value: JSONValue)] = [
            ("time", .string(LogTimestamp.now())),
            ("level", .string(event.level.rawValue)),
            ("label", .string(label)),
            ("message", .string(event.message.description)),
        ]
        let provided = metadataProvider?.get() ?? [:]
        let merged = provided.merging(metadata) { _, new in new }.merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            fields.append((key, Self.json(value)))
        }
        fields.append(("source", .string("\(event.file.split(separator: "/").last ?? ""):\(event.line)")))
        file.append(JSONWriter(escapeHTML: false).string(.object(fields)) + "\n")
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): return .string(text)
        case .stringConvertible(let convertible): return .string(convertible.description)
        case .array(let items): return .array(items.map(json))
        case .dictionary(let dictionary):
            return .object(dictionary.sorted { $0.key < $1.key }.map { (key: $0.key, value: json($0.value)) })
        }
    }
}

/// RFC 3339 UTC timestamps with milliseconds, the format of both log sinks.
enum LogTimestamp {
    static func now() -> String {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        var seconds = time_t(time.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let milliseconds = Int(time.tv_nsec) / 1_000_000
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), milliseconds)
    }
}
