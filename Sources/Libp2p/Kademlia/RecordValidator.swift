/// Decides which values the DHT stores and serves under a key. go-libp2p-kad-dht refuses records whose
/// namespace (the first path segment of the key, `/<namespace>/…`) has no validator; so does this node.
public protocol RecordValidator: Sendable {
    /// Throws, saying why, when `value` may not be stored under `key`.
    func validate(key: String, value: [UInt8]) throws(KademliaError)
    /// Which of several valid values for one key is the current one (index into `values`).
    func select(key: String, values: [[UInt8]]) -> Int
}

/// Dispatches on the key's namespace.
public struct NamespacedValidator: RecordValidator {
    public var validators: [String: any RecordValidator]

    public init(_ validators: [String: any RecordValidator] = [:]) { self.validators = validators }

    /// The namespace of `/ns/rest`, nil when the key has no namespace.
    public static func namespace(of key: String) -> String? {
        guard key.hasPrefix("/") else { return nil }
        let parts = key.dropFirst().split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return nil }
        return String(parts[0])
    }

    private func validator(for key: String) throws(KademliaError) -> any RecordValidator {
        guard let namespace = Self.namespace(of: key) else {
            throw .invalidRecord(key: key, reason: "the key has no /<namespace>/ prefix")
        }
        guard let validator = validators[namespace] else {
            throw .invalidRecord(key: key, reason: "no validator for namespace \(namespace)")
        }
        return validator
    }

    public func validate(key: String, value: [UInt8]) throws(KademliaError) {
        try validator(for: key).validate(key: key, value: value)
    }

    public func select(key: String, values: [[UInt8]]) -> Int {
        (try? validator(for: key))?.select(key: key, values: values) ?? 0
    }
}
