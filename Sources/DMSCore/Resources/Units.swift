import Foundation

/// Sizes and frequencies as people type them: `4`, `4GiB`, `12 GB`, `512MiB`, `2.4GHz`. One rule for
/// the default unit: a bare number of bytes means GiB (as the Go DMS CLI reads `--ram` and `--disk`), a
/// bare frequency means GHz. Decimal units (kB, MB, GB, TB) are powers of 1000, binary ones (KiB, MiB,
/// GiB, TiB) powers of 1024; units are case-insensitive and may follow a space.
public enum Units {
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let input: String
        public let rule: String

        public init(input: String, rule: String) {
            self.input = input
            self.rule = rule
        }

        public var description: String { "invalid value \"\(input)\": \(rule)" }
    }

    static let sizeUnits: [(names: [String], bytes: Double)] = [
        (["b", "byte", "bytes"], 1),
        (["kb"], 1e3), (["mb"], 1e6), (["gb"], 1e9), (["tb"], 1e12),
        (["kib", "k"], 1024), (["mib", "m"], 1_048_576), (["gib", "g"], 1_073_741_824),
        (["tib", "t"], 1_099_511_627_776),
    ]
    static let frequencyUnits: [(names: [String], hertz: Double)] = [
        (["hz"], 1), (["khz"], 1e3), (["mhz"], 1e6), (["ghz"], 1e9),
    ]

    /// Bytes from a size such as `4GiB`; a bare number is GiB.
    public static func bytes(_ text: String) throws(ParseError) -> UInt64 {
        let rule = "use a size such as 4, 4GiB, 12 GB or 512MiB (a bare number means GiB)"
        let (number, unit) = try split(text, rule: rule)
        let multiplier: Double
        if unit.isEmpty {
            multiplier = 1_073_741_824
        } else if let match = sizeUnits.first(where: { $0.names.contains(unit) }) {
            multiplier = match.bytes
        } else {
            throw ParseError(input: text, rule: "unknown unit \"\(unit)\"; \(rule)")
        }
        let value = number * multiplier
        guard value < 1.8e19 else { throw ParseError(input: text, rule: "too large") }
        return UInt64(value.rounded())
    }

    /// Hertz from a frequency such as `2.4GHz`; a bare number is GHz.
    public static func hertz(_ text: String) throws(ParseError) -> Double {
        let rule = "use a frequency such as 2.4GHz or 3200MHz (a bare number means GHz)"
        let (number, unit) = try split(text, rule: rule)
        if unit.isEmpty { return number * 1e9 }
        guard let match = frequencyUnits.first(where: { $0.names.contains(unit) }) else {
            throw ParseError(input: text, rule: "unknown unit \"\(unit)\"; \(rule)")
        }
        return number * match.hertz
    }

    private static func split(_ text: String, rule: String) throws(ParseError) -> (Double, String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let numberPart = trimmed.prefix { $0.isNumber || $0 == "." }
        let unit = trimmed.dropFirst(numberPart.count).trimmingCharacters(in: .whitespaces).lowercased()
        guard !numberPart.isEmpty, let number = Double(numberPart), number.isFinite else {
            throw ParseError(input: text, rule: trimmed.hasPrefix("-") ? "must not be negative" : rule)
        }
        return (number, unit)
    }

    /// A size for people, in binary units: `4 GiB`, `3.5 GiB`, `512 MiB`.
    public static func formatBytes(_ bytes: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1024 && index < units.count - 1 {
            value /= 1024
            index += 1
        }
        return index == 0 ? "\(bytes) B" : "\(formatNumber(value)) \(units[index])"
    }

    /// A core count for people: `1 core`, `2.5 cores`.
    public static func formatCores(_ cores: Double) -> String {
        "\(formatNumber(cores)) \(cores == 1 ? "core" : "cores")"
    }

    /// A frequency for people: `2.4 GHz`.
    public static func formatHertz(_ hertz: Double) -> String {
        if hertz >= 1e9 { return "\(formatNumber(hertz / 1e9)) GHz" }
        if hertz >= 1e6 { return "\(formatNumber(hertz / 1e6)) MHz" }
        return "\(formatNumber(hertz)) Hz"
    }

    /// A number with at most two decimals and no trailing zeros: `3`, `2.5`, `0.33`.
    public static func formatNumber(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded()
            ? String(Int(rounded))
            : String(format: "%.2f", rounded)
                .replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }
}
