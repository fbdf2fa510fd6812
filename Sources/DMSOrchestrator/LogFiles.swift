import Foundation

/// Reading log files in pieces, so following a log sends only what is new.
enum LogFiles {
    /// At most 1 MiB from `offset`; returns the text and the offset after it.
    static func read(_ file: URL, from offset: UInt64) -> (String, UInt64) {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return ("", offset) }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        let data = (try? handle.read(upToCount: 1 << 20)) ?? Data()
        return (String(decoding: data, as: UTF8.self), offset + UInt64(data.count))
    }
}
