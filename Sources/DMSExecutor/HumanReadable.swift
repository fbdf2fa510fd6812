/// Sizes and durations as execution errors show them ("256 MiB", "1.5s"), so a user reads them at a glance.
public enum HumanReadable {
    /// The largest binary unit that divides `count` exactly, or plain bytes.
    public static func bytes(_ count: UInt64) -> String {
        for (size, unit) in [(UInt64(1) << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        where count >= size && count % size == 0 {
            return "\(count / size) \(unit)"
        }
        return "\(count) bytes"
    }

    /// Whole seconds as "2s", sub-second durations as "250ms", the rest as "1.5s" (millisecond precision).
    public static func duration(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        var fraction = String(milliseconds % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(milliseconds / 1000).\(fraction)s"
    }
}
