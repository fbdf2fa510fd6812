import Multiformats
import NIOCore
import NIOPosix

/// Plain TCP over `/ip4` and `/ip6` addresses, with Nagle off and reads that grow to 1 MiB on busy
/// connections (so bulk transfers decrypt many Noise frames per read).
public struct TCPTransport: Transport {
    static let receiveAllocator = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 1 << 20)

    let group: any EventLoopGroup
    /// How long a connect may take.
    let connectTimeout: TimeAmount

    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, connectTimeout: TimeAmount) {
        self.group = group
        self.connectTimeout = connectTimeout
    }

    public func canDial(_ address: Multiaddr) -> Bool { address.tcpEndpoint != nil }
    public func canListen(_ address: Multiaddr) -> Bool { address.tcpEndpoint != nil }

    public func listen(
        _ address: Multiaddr, accepted: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) async throws -> TransportListener {
        guard let (host, port) = address.tcpEndpoint else {
            throw Libp2pError.invalidAddress("can only listen on /ip4 or /ip6 TCP addresses, not \(address)")
        }
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.recvAllocator, value: Self.receiveAllocator)
            .childChannelInitializer(accepted)
            .bind(host: host, port: port).get()
        guard let local = channel.localAddress.flatMap({ Multiaddr(socketAddress: $0) }) else {
            try? await channel.close()
            throw Libp2pError.invalidAddress("cannot describe the bound address of \(address)")
        }
        return TransportListener(address: local, channel: channel)
    }

    public func dial(
        _ address: Multiaddr, initialize: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) throws -> EventLoopFuture<any Channel> {
        guard let (host, port) = address.tcpEndpoint else {
            throw Libp2pError.invalidAddress("can only dial TCP addresses, not \(address)")
        }
        // On the caller's event loop when it runs on one of the group's (`Libp2pHost.onEventLoop`), so the
        // connection's events reach it without a thread switch.
        let bootstrap = ClientBootstrap(group: group.any())
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.recvAllocator, value: Self.receiveAllocator)
            .connectTimeout(connectTimeout)
            .channelInitializer(initialize)
        // An IP address connects directly: naming it as a host would go through the resolver and the
        // happy-eyeballs timers, a measurable share of a loopback connection's setup.
        if let socketAddress = try? SocketAddress(ipAddress: host, port: port) {
            return bootstrap.connect(to: socketAddress)
        }
        return bootstrap.connect(host: host, port: port)
    }
}
