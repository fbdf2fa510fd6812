import Foundation

/// A process's memory as Linux accounts it in `/proc/<pid>/smaps_rollup`: resident (RSS), its share of
/// pages shared with other processes (PSS), and the pages only it maps (private: what it really costs).
public struct ProcessMemory: Sendable, CustomStringConvertible {
    public let rssKiB: Int
    public let pssKiB: Int
    public let privateKiB: Int

    /// Nil when the process is gone or the kernel has no `smaps_rollup`.
    public init?(pid: Int32) {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else { return nil }
        var fields: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, parts[0].hasSuffix(":"), let value = Int(parts[1]) else { continue }
            fields[String(parts[0].dropLast())] = value
        }
        guard let rss = fields["Rss"], let pss = fields["Pss"] else { return nil }
        rssKiB = rss
        pssKiB = pss
        privateKiB = (fields["Private_Clean"] ?? 0) + (fields["Private_Dirty"] ?? 0)
    }

    public var description: String {
        func mib(_ kib: Int) -> String { String(format: "%.1f MiB", Double(kib) / 1024) }
        return "RSS \(mib(rssKiB)), PSS \(mib(pssKiB)), private \(mib(privateKiB))"
    }
}
