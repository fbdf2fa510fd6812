import Foundation
import Logging

/// Human-readable log lines on standard error: `time level label: message key=value ...`.
public struct ConsoleLogHandler: LogHandler {
    /// Read from (and written to) the daemon's shared level, so a change reaches every logger at once.
    public var logLevel: Logger.Level {
        get { levels.level }
        nonmutating set { levels.set(newValue) }
    }
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let levels: LogLevelControl
    private let label: String

    public init(label: String, levels: LogLevelControl, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.levels = levels
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let provided = metadataProvider?.get() ?? [:]
        let merged = provided.merging(metadata) { _, new in new }.merging(event.metadata ?? [:]) { _, new in new }
        var line = "\(LogTimestamp.now()) \(event.level.rawValue.uppercased()) \(label): \(event.message)"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(value)"
        }
        line += "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
