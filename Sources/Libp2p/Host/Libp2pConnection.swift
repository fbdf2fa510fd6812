import Libp2pCrypto
import Multiformats
import NIOCore

/// An upgraded connection to a peer: secured with Noise, multiplexed with yamux.
public final class Libp2pConnection: Sendable {
    public let remotePeer: PeerID
    public let remoteKey: PublicKey
    public let remoteAddress: Multiaddr?
    public let isInitiator: Bool
    /// When the upgrade completed; the connection manager spares young connections.
    public let opened = ContinuousClock.now
    let handler: NIOLoopBound<ConnectionHandler>
    let channel: any Channel

    init(established: ConnectionHandler.Established, channel: any Channel, initiator: Bool) {
        remotePeer = established.remotePeer
        remoteKey = established.remoteKey
        handler = established.connection
        self.channel = channel
        isInitiator = initiator
        remoteAddress = channel.remoteAddress.flatMap { Multiaddr(socketAddress: $0) }
    }

    public var isOpen: Bool { channel.isActive }

    /// Opens a raw stream (no protocol negotiated yet).
    func openRawStream() async throws -> Libp2pStream {
        let handler = self.handler
        let id = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<UInt32, any Error>) in
            handler.eventLoop.execute { handler.value.openStream(continuation) }
        }
        return Libp2pStream(connection: handler, id: id, remotePeer: remotePeer)
    }

    /// Sends GoAway and closes.
    public func close() async {
        let handler = self.handler
        handler.eventLoop.execute { handler.value.close() }
        try? await channel.closeFuture.get()
    }
}

extension Multiaddr {
    /// The multiaddr of a TCP socket address.
    init?(socketAddress: SocketAddress) {
        guard let ip = socketAddress.ipAddress, let port = socketAddress.port else { return nil }
        let text = socketAddress.protocol == .inet6 ? "/ip6/\(ip)/tcp/\(port)" : "/ip4/\(ip)/tcp/\(port)"
        try? self.init(text)
    }
}
