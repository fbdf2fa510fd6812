import Multiformats
import NIOCore

/// A way to carry a raw, not yet secured byte stream to a peer. The host picks the first of its transports
/// that handles an address and runs the same upgrade (Noise, yamux) over whatever channel it produces, so a
/// relayed or other transport plugs in beside TCP without touching the upgrade or the protocols.
public protocol Transport: Sendable {
    /// Whether `address` (without its `/p2p/` part) is one this transport can dial.
    func canDial(_ address: Multiaddr) -> Bool
    /// Whether this transport can listen on `address`.
    func canListen(_ address: Multiaddr) -> Bool
    /// Listens on `address`; `accepted` is called with each inbound channel before it becomes active.
    func listen(
        _ address: Multiaddr, accepted: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) async throws -> TransportListener
    /// Dials `address`; `initialize` is called with the outbound channel before it becomes active. A future
    /// rather than an async call, so the host chains the upgrade onto it on the channel's event loop and
    /// the caller's task wakes once, for the upgraded connection.
    func dial(
        _ address: Multiaddr, initialize: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) throws -> EventLoopFuture<any Channel>
}

/// A bound listener of a transport.
public struct TransportListener: Sendable {
    /// The address actually bound (port 0 resolved).
    public let address: Multiaddr
    let channel: any Channel

    public init(address: Multiaddr, channel: any Channel) {
        self.address = address
        self.channel = channel
    }

    func close() async { try? await channel.close() }
}
