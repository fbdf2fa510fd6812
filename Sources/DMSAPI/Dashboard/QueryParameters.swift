import Hummingbird

/// A request's query parameters checked against what its route accepts: an unknown parameter or a value
/// that breaks its rule is a 400 naming the parameter, the value and the rule.
struct QueryParameters {
    private let parameters: [(name: String, value: String)]

    init(_ request: Request, allowed: Set<String>) throws(HTTPError) {
        parameters = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
        for (name, value) in parameters where !allowed.contains(name) {
            let known = allowed.isEmpty ? "none" : allowed.sorted().joined(separator: ", ")
            throw Self.invalid(name, value, "is not a parameter of this route (known: \(known))")
        }
    }

    /// The one value of `name`; a parameter given twice is refused rather than one of them chosen.
    func value(_ name: String) throws(HTTPError) -> String? {
        let values = parameters.filter { $0.name == name }.map(\.value)
        guard values.count <= 1 else {
            throw Self.invalid(name, values.joined(separator: ","), "must be given at most once")
        }
        return values.first
    }

    /// An integer in `range`, `fallback` when absent.
    func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws(HTTPError) -> Int {
        guard let text = try value(name) else { return fallback }
        guard let number = Int(text), range.contains(number) else {
            throw Self.invalid(name, text, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// A byte offset (0 or more), 0 when absent.
    func offset(_ name: String) throws(HTTPError) -> UInt64 {
        guard let text = try value(name) else { return 0 }
        guard let number = UInt64(text) else { throw Self.invalid(name, text, "must be a whole number of bytes") }
        return number
    }

    /// `true` or `false`, `fallback` when absent.
    func boolean(_ name: String, default fallback: Bool) throws(HTTPError) -> Bool {
        guard let text = try value(name) else { return fallback }
        switch text {
        case "true": return true
        case "false": return false
        default: throw Self.invalid(name, text, "must be true or false")
        }
    }

    /// Comma-separated values, repeated parameters allowed; empty when absent.
    func list(_ name: String) -> [String] {
        parameters.filter { $0.name == name }.flatMap { $0.value.split(separator: ",").map(String.init) }
    }

    static func invalid(_ name: String, _ value: String, _ rule: String) -> HTTPError {
        HTTPError(.badRequest, message: "query parameter \(name): \"\(value)\" \(rule)")
    }
}
