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
        try await openStream(proposing: nil)
    }

    /// Opens a stream that proposes `protocolID` without waiting for the echo: the peer's answer is checked
    /// on the connection's event loop when it arrives, and a refusal fails the stream's next read or write
    /// with `Libp2pError.protocolNotSupported`.
    func openStream(proposing protocolID: String?) async throws -> Libp2pStream {
        let handler = self.handler
        let id = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<UInt32, any Error>) in
            handler.onLoop { $0.openStream(proposing: protocolID, continuation) }
        }
        return Libp2pStream(connection: handler, id: id, remotePeer: remotePeer, protocolID: protocolID ?? "")
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
        // From the raw address, without formatting and parsing text (every connection makes one).
        switch socketAddress {
        case .v4(let address):
            let ip = withUnsafeBytes(of: address.address.sin_addr) { Array($0) }
            self.init([.ip4(ip), .tcp(UInt16(bigEndian: address.address.sin_port))])
        case .v6(let address):
            let ip = withUnsafeBytes(of: address.address.sin6_addr) { Array($0) }
            self.init([.ip6(ip), .tcp(UInt16(bigEndian: address.address.sin6_port))])
        case .unixDomainSocket:
            return nil
        }
    }
}
