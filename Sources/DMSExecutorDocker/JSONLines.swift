/// Splits a byte stream into newline-terminated lines (Docker's progress streams), keeping a partial
/// line until the rest arrives.
struct JSONLines {
    private var pending: [UInt8] = []
    /// A line longer than this is dropped rather than buffered without end.
    static let maximumLine = 1 << 20

    mutating func append(_ chunk: [UInt8]) -> [[UInt8]] {
        pending.append(contentsOf: chunk)
        var lines: [[UInt8]] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = Array(pending[..<newline])
            pending.removeSubrange(...newline)
            if !line.isEmpty { lines.append(line) }
        }
        if pending.count > Self.maximumLine { pending.removeAll() }
        return lines
    }
}
