import Libp2pCrypto
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds libp2p peers on the local network and announces this host to them (libp2p mDNS discovery, as
/// go-libp2p's `p2p/discovery/mdns` speaks it): every `queryInterval` it multicasts a query for
/// `_p2p._udp.local` on each interface, answers others' queries with the host's TCP addresses, and yields the
/// peers that answers announce on `peers`. IPv4 only (224.0.0.251), which go-libp2p also answers on.
public final class MDNSService: Sendable {
    public struct Configuration: Sendable {
        /// How often to ask; go-libp2p's browser asks about every ten seconds too.
        public var queryInterval: TimeAmount = .seconds(10)
        /// Interfaces by name; nil uses every one that supports multicast. Naming one (such as `lo`) uses it
        /// even without the multicast flag, which Linux allows and tests rely on.
        public var interfaces: [String]?
        public var port = 5353

        public init() {}
    }

    private struct State {
        var channel: (any Channel)?
        var queries: RepeatedTask?
        var stopped = false
    }

    /// Each peer every time an answer announces it; the consumer decides whether it is new.
    public let peers: AsyncStream<MDNSPeer>
    private let continuation: AsyncStream<MDNSPeer>.Continuation
    private let host: Libp2pHost
    private let configuration: Configuration
    /// The instance label, fixed for the service's life as go-libp2p's is.
    private let label = MDNSPacket.randomLabel()
    /// The interface addresses joined, each set as the outgoing interface in turn when sending.
    private let joined = NIOLockedValueBox<[in_addr]>([])
    private let state = NIOLockedValueBox(State())

    public init(host: Libp2pHost, configuration: Configuration = Configuration()) {
        self.host = host
        self.configuration = configuration
        (peers, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
    }

    /// Binds the mDNS port (shared with other responders through SO_REUSEADDR/SO_REUSEPORT), joins the group
    /// on the chosen interfaces and starts querying. Throws when no interface could join.
    public func start() async throws {
        let localPeer = host.peerID
        let continuation = continuation
        let bootstrap = DatagramBootstrap(group: host.group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socket(SocketOptionLevel(SOL_SOCKET), SO_REUSEPORT), value: 1)
            .channelOption(
                .recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: MDNSPacket.maximumPacketLength + 1)
            )
            .channelInitializer { [weak self] channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = MDNSChannelHandler(
                        localPeer: localPeer, answer: { self?.announce(on: $0) }, found: { continuation.yield($0) })
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let channel = try await bootstrap.bind(host: "0.0.0.0", port: configuration.port).get()
        do {
            try await join(channel)
            // RFC 6762 §11: mDNS packets go out with IP TTL 255; loopback lets nodes on one machine meet.
            try await channel.setOption(.ipOption(.ip_multicast_ttl), value: 255).get()
            try await channel.setOption(.ipOption(.ip_multicast_loop), value: 1).get()
        } catch {
            try? await channel.close()
            throw error
        }
        let queries = channel.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: configuration.queryInterval) {
            [weak self] _ in
            guard let self, let query = try? MDNSPacket.query() else { return }
            self.send(query, on: channel)
        }
        let started = state.withLockedValue { state in
            guard !state.stopped else { return false }
            state.channel = channel
            state.queries = queries
            return true
        }
        if !started {
            queries.cancel()
            try? await channel.close()
        }
    }

    /// Stops querying and answering, closes the socket and finishes `peers`.
    public func stop() async {
        let (channel, queries) = state.withLockedValue { state in
            state.stopped = true
            defer { (state.channel, state.queries) = (nil, nil) }
            return (state.channel, state.queries)
        }
        queries?.cancel()
        try? await channel?.close()
        continuation.finish()
    }

    /// Joins 224.0.0.251 once per interface (by its first IPv4 address); an interface that refuses (down, no
    /// multicast) is left out, and only no interface at all is an error. The membership is set as a socket
    /// option directly, since NIO's `joinGroup` refuses an interface without the multicast flag, which a
    /// configured loopback lacks.
    private func join(_ channel: any Channel) async throws {
        guard let options = channel as? any SocketOptionProvider else {
            throw MDNSError.noMulticastInterface(interfaces: [])
        }
        let group = in_addr(s_addr: UInt32(0xE000_00FB).bigEndian)
        var seen = Set<Int>()
        var tried: [String] = []
        var addresses: [in_addr] = []
        for device in try System.enumerateDevices() {
            guard case .v4(let address)? = device.address, !seen.contains(device.interfaceIndex) else { continue }
            if let names = configuration.interfaces {
                guard names.contains(device.name) else { continue }
            } else if !device.multicastSupported {
                continue
            }
            seen.insert(device.interfaceIndex)
            tried.append(device.name)
            let request = ip_mreq(imr_multiaddr: group, imr_interface: address.address.sin_addr)
            let joining = options.unsafeSetSocketOption(
                level: SocketOptionLevel(IPPROTO_IP), name: IP_ADD_MEMBERSHIP, value: request)
            guard (try? await joining.get()) != nil else { continue }
            addresses.append(address.address.sin_addr)
        }
        guard !addresses.isEmpty else { throw MDNSError.noMulticastInterface(interfaces: tried) }
        joined.withLockedValue { $0 = addresses }
    }

    /// Multicasts the host's current addresses, if it has any worth announcing.
    private func announce(on channel: any Channel) {
        let addresses = host.advertisedAddresses
        guard let response = try? MDNSPacket.response(label: label, peer: host.peerID, addresses: addresses) else {
            return
        }
        send(response, on: channel)
    }

    /// Sends `bytes` to the group out of every joined interface. On the event loop, setting the outgoing
    /// interface and writing run in order, so each datagram leaves by the interface set just before it.
    private func send(_ bytes: [UInt8], on channel: any Channel) {
        guard let options = channel as? any SocketOptionProvider,
            let group = try? SocketAddress(ipAddress: "224.0.0.251", port: configuration.port)
        else { return }
        let interfaces = joined.withLockedValue { $0 }
        channel.eventLoop.execute {
            for interface in interfaces {
                _ = options.setIPMulticastIF(interface)
                let envelope = AddressedEnvelope(remoteAddress: group, data: ByteBuffer(bytes: bytes))
                channel.writeAndFlush(envelope, promise: nil)
            }
        }
    }
}
