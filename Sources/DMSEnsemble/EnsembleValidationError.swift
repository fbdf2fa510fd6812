/// One broken rule of an ensemble: where (`allocations.api.resources.ram.size`), what was written there
/// (`-1`; empty when the value is missing), and the rule it breaks, so a user can fix the file without
/// guessing. The line is the YAML line of the value (or of the mapping that lacks it) when known.
public struct EnsembleValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var value: String
    public var rule: String
    public var line: Int?

    public init(path: String, value: String, rule: String, line: Int? = nil) {
        self.path = path
        self.value = value
        self.rule = rule
        self.line = line
    }

    /// `allocations.api.resources.ram.size: "-1" — must be a size such as 512MiB or 4 (GiB) (line 12)`.
    public var description: String {
        var text = path.isEmpty ? "ensemble" : path
        if !value.isEmpty { text += ": \"\(value)\"" }
        text += " — \(rule)"
        if let line { text += " (line \(line))" }
        return text
    }
}

/// Every broken rule of an ensemble, found in one pass: a user fixes them all at once instead of one per
/// attempt.
public struct EnsembleValidationErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [EnsembleValidationError]

    public init(_ errors: [EnsembleValidationError]) {
        self.errors = errors
    }

    /// One error per line.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
