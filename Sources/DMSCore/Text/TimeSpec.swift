import Foundation

/// Parsing of the time values users type: durations (`90s`, `1h30m`, `7d`) and expiry dates
/// (`2025-12-31`, RFC 3339), both in the Go DMS's unit, nanoseconds.
public enum TimeSpec {
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let input: String
        public let rule: String
        public var description: String { "invalid time \"\(input)\": \(rule)" }
    }

    static let units: [(suffix: String, nanoseconds: Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9), ("d", 86400e9),
    ]

    /// A positive duration: one or more `<number><unit>` with units ns, us, ms, s, m, h, d.
    public static func duration(_ text: String) throws(ParseError) -> UInt64 {
        let rule = "use a duration such as 90s, 30m, 1h30m or 7d"
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { throw ParseError(input: text, rule: rule) }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !$0.isNumber && $0 != "." }
            rest = rest.dropFirst(unitText.count)
            guard let value = Double(number), let unit = units.first(where: { $0.suffix == unitText }) else {
                throw ParseError(input: text, rule: rule)
            }
            total += value * unit.nanoseconds
        }
        guard total >= 1, total < Double(UInt64.max) else {
            throw ParseError(input: text, rule: "the duration must be positive")
        }
        return UInt64(total)
    }

    /// A point in time: `YYYY-MM-DD` (the end of that day, UTC, so the date itself is included) or an
    /// RFC 3339 timestamp such as `2025-12-31T18:00:00Z`.
    public static func instant(_ text: String) throws(ParseError) -> UInt64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count == 10, let start = dayStart(trimmed) {
            return start + 86_400 * 1_000_000_000 - 1
        }
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds],
        ] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: trimmed), date.timeIntervalSince1970 > 0 {
                return UInt64(date.timeIntervalSince1970 * 1e9)
            }
        }
        throw ParseError(input: text, rule: "use a date YYYY-MM-DD or an RFC 3339 time such as 2025-12-31T18:00:00Z")
    }

    private static func dayStart(_ text: String) -> UInt64? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int32(parts[0]), let month = Int32(parts[1]), let day = Int32(parts[2]),
            (1...12).contains(month), (1...31).contains(day), year >= 1970
        else { return nil }
        var components = tm()
        components.tm_year = year - 1900
        components.tm_mon = month - 1
        components.tm_mday = day
        let seconds = timegm(&components)
        // timegm normalises impossible dates (Feb 30 -> Mar 2); reject them.
        guard seconds >= 0, components.tm_mday == day, components.tm_mon == month - 1 else { return nil }
        return UInt64(seconds) * 1_000_000_000
    }

    /// RFC 3339 UTC rendering of a nanosecond timestamp, for humans.
    public static func format(nanoseconds: UInt64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: Double(nanoseconds / 1_000_000_000)))
    }
}
