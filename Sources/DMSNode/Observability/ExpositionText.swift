/// Families computed at scrape time, in the Prometheus text exposition format (version 0.0.4): `# HELP`,
/// `# TYPE`, then one sample per label set. Label values are escaped as the format requires.
struct ExpositionText {
    enum Kind: String {
        case counter, gauge
    }

    private(set) var bytes: [UInt8] = []

    /// A family with one sample per entry of `samples`; none writes nothing (an empty family says nothing).
    mutating func family(
        _ name: String, _ kind: Kind, help: String, _ samples: [(labels: [(String, String)], value: Double)]
    ) {
        guard !samples.isEmpty else { return }
        append("# HELP \(name) \(help)\n# TYPE \(name) \(kind.rawValue)\n")
        for sample in samples {
            append(name)
            if !sample.labels.isEmpty {
                append("{")
                append(
                    sample.labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ","))
                append("}")
            }
            append(" \(Self.format(sample.value))\n")
        }
    }

    /// A family of one unlabelled sample.
    mutating func family(_ name: String, _ kind: Kind, help: String, _ value: Double) {
        family(name, kind, help: help, [([], value)])
    }

    private mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Integers without a fraction (most samples are counts), others as Swift prints them.
    static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.isNaN ? "NaN" : value.isInfinite ? (value > 0 ? "+Inf" : "-Inf") : String(value)
    }
}
