/// Why one provider was not used for a node, so a failed placement can be acted on (free resources,
/// relax a location rule, fix a pin) rather than retried blindly.
public struct Rejection: Sendable, Equatable, CustomStringConvertible {
    public var peer: String
    public var reason: String

    public init(peer: String, reason: String) {
        self.peer = peer
        self.reason = reason
    }

    /// `peer 12D3KooW…: ram: need 16 GiB, 4 GiB free`.
    public var description: String { "peer \(peer): \(reason)" }
}
