/// Revocation tokens by the key of the token they revoke (issuer, subject, nonce). Revoking a link
/// revokes every chain built on it, because verification checks each link.
public struct RevocationSet: Sendable, Equatable {
    public private(set) var tokens: [String: CapabilityToken] = [:]

    public init(_ revocations: [CapabilityToken] = []) {
        for token in revocations { tokens[token.revocationKey] = token }
    }

    public func isRevoked(_ token: CapabilityToken) -> Bool { tokens[token.revocationKey] != nil }

    public mutating func insert(_ revocation: CapabilityToken) { tokens[revocation.revocationKey] = revocation }

    @discardableResult
    public mutating func remove(_ revocation: CapabilityToken) -> Bool {
        tokens.removeValue(forKey: revocation.revocationKey) != nil
    }

    /// Drops revocations whose target has expired anyway.
    public mutating func removeExpired(now: UInt64) { tokens = tokens.filter { !$0.value.expires(before: now) } }

    public var all: [CapabilityToken] { tokens.values.sorted { $0.revocationKey < $1.revocationKey } }
}
