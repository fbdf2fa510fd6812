import DMSConfig
import DMSNetworkLibp2p
import Libp2p
import Libp2pCrypto
import Logging
import Multiformats

/// The node's libp2p host and how it finds the network: it listens where the configuration says, keeps
/// the bootstrap peers connected, runs the Kademlia DHT, and advertises and discovers other nodes
/// through the rendezvous namespace. It carries actor messages and broadcasts for the node.
public struct PeerToPeer: Sendable {
    /// What the configuration says about the peer-to-peer side.
    public struct Settings: Sendable {
        public var listen: [String]
        public var bootstrap: [String]
        public var dhtMode = KademliaDHT.Mode.auto
        public var rendezvous = "nunet-test"
        public var discoveryLimit = 40
        public var discoveryInterval: Duration = .seconds(900)
        public var dhtRefreshInterval: Duration = .seconds(600)
        /// How often the node announces itself under the rendezvous namespace (6 h in the Go DMS).
        public var advertiseInterval: Duration = .seconds(6 * 3600)
        /// Whether to find peers on the local network by mDNS (off by default, as in the Go DMS).
        public var mdns = false

        public init(listen: [String], bootstrap: [String]) {
            self.listen = listen
            self.bootstrap = bootstrap
        }

        public init(config: EffectiveConfig) {
            self.init(listen: config.listenAddresses, bootstrap: config.bootstrapPeers)
            dhtMode = KademliaDHT.Mode(rawValue: config.dhtMode) ?? .auto
            rendezvous = config.rendezvous
            discoveryLimit = config.discoveryLimit
            discoveryInterval = config.discoveryInterval
            dhtRefreshInterval = config.dhtRefreshInterval
            mdns = config.mdns
        }
    }

    public let host: Libp2pHost
    public let network: Libp2pNetwork
    public let dht: KademliaDHT
    public let rendezvous: Rendezvous
    public let listenAddresses: [Multiaddr]
    let mdns: MDNSService?
    let settings: Settings
    let bootstrapPeers: [Multiaddr]
    let logger: Logger

    /// Starts listening and serving the DHT; fails naming the address that cannot be used.
    public static func start(identity: NodeIdentity, settings: Settings, logger: Logger) async throws -> PeerToPeer {
        var hostConfiguration = Libp2pHost.Configuration()
        hostConfiguration.trafficLabel = DMSMessageProtocol.trafficLabel
        let host = Libp2pHost(identity: identity.key, configuration: hostConfiguration, logger: logger)
        var bound: [Multiaddr] = []
        for text in settings.listen {
            do {
                bound.append(try await host.listen(try Multiaddr(text)))
            } catch {
                await host.close()
                throw StartupError.p2pListen(address: text, reason: "\(error)")
            }
        }
        var dhtConfiguration = KademliaDHT.Configuration()
        dhtConfiguration.mode = settings.dhtMode
        dhtConfiguration.validator = AdvertisementValidator.dms
        dhtConfiguration.refreshInterval = settings.dhtRefreshInterval
        let dht = KademliaDHT(host: host, configuration: dhtConfiguration, logger: logger)
        dht.start()
        let mdns = settings.mdns ? await startMDNS(host: host, logger: logger) : nil
        return PeerToPeer(
            host: host, network: Libp2pNetwork(host: host, dht: dht, logger: logger), dht: dht,
            rendezvous: Rendezvous(
                namespace: settings.rendezvous, limit: settings.discoveryLimit, dht: dht, logger: logger),
            listenAddresses: bound, mdns: mdns, settings: settings,
            bootstrapPeers: settings.bootstrap.compactMap { try? Multiaddr($0) },
            logger: logger)
    }

    /// Joins the network and stays in it until cancelled: dials the bootstrap peers (those unreachable are
    /// named in the log and retried with a growing backoff, up to 5 minutes), bootstraps the DHT once
    /// peers are there, advertises the node and discovers others every discovery interval.
    func maintain() async {
        let clock = ContinuousClock()
        var retry: Duration = .seconds(2)
        var nextDiscovery = clock.now
        var nextAdvertise = clock.now
        var joined = false
        while !Task.isCancelled {
            let missing = await connectBootstrapPeers()
            // Identify fills the routing table shortly after a connection opens.
            if !joined, !dht.routingTable.isEmpty {
                await dht.bootstrap()
                joined = true
                nextAdvertise = clock.now
                nextDiscovery = clock.now
            }
            if joined, clock.now >= nextAdvertise {
                let told = await rendezvous.advertise()
                // Nobody took the record yet: try again soon rather than in hours.
                nextAdvertise = clock.now + (told > 0 ? settings.advertiseInterval : .seconds(30))
            }
            if joined, clock.now >= nextDiscovery {
                let found = await rendezvous.discover()
                if !found.isEmpty { logger.info("discovered peers", metadata: ["connected": "\(found.count)"]) }
                nextDiscovery = clock.now + settings.discoveryInterval
            }
            var wait: Duration = joined ? settings.discoveryInterval : .seconds(1)
            if missing > 0 {
                wait = retry
                retry = min(retry * 2, .seconds(300))
            } else {
                retry = .seconds(2)
            }
            if joined { wait = min(wait, min(nextDiscovery, nextAdvertise) - clock.now) }
            try? await Task.sleep(for: max(wait, .milliseconds(100)))
        }
    }

    /// Dials the bootstrap peers this host is not connected to; returns how many could not be reached.
    @discardableResult
    func connectBootstrapPeers() async -> Int {
        let connected = Set(host.connectedPeers.map(\.bytes))
        let wanted = bootstrapPeers.filter { address in
            guard let peer = address.splittingPeer.peer else { return true }
            return !connected.contains(peer)
        }
        let failures = await withTaskGroup(of: Bool.self) { group in
            for address in wanted {
                group.addTask { [host, logger] in
                    do {
                        let connection = try await host.connect(address)
                        logger.info("connected to bootstrap peer", metadata: ["peer": "\(connection.remotePeer)"])
                        return false
                    } catch {
                        logger.warning(
                            "bootstrap peer not reachable", metadata: ["address": "\(address)", "error": "\(error)"])
                        return true
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        return failures
    }

    /// Connects to `address` now (`nunet peers connect`); a bare `/p2p/<peer>` is looked up in the DHT.
    public func connect(_ address: Multiaddr) async throws -> PeerID {
        if address.components.count == 1, case .p2p(let bytes) = address.components[0] {
            return try await dht.connection(to: PeerID(multihash: try Multihash(decoding: bytes))).remotePeer
        }
        return try await host.connect(address).remotePeer
    }

    /// Starts mDNS and dials each peer it finds that is not connected yet; a failure to start is logged, not
    /// fatal, since the node still joins through its bootstrap peers.
    private static func startMDNS(host: Libp2pHost, logger: Logger) async -> MDNSService? {
        let mdns = MDNSService(host: host)
        do {
            try await mdns.start()
        } catch {
            logger.warning("mdns discovery not started", metadata: ["error": "\(error)"])
            return nil
        }
        Task {
            for await found in mdns.peers where host.connections(to: found.peer).isEmpty {
                host.peerStore.addAddresses(found.addresses, for: found.peer)
                do {
                    _ = try await host.connection(to: found.peer)
                    logger.info("connected to local peer", metadata: ["peer": "\(found.peer)"])
                } catch {
                    logger.debug("local peer not reachable", metadata: ["peer": "\(found.peer)", "error": "\(error)"])
                }
            }
        }
        return mdns
    }

    func close() async {
        await mdns?.stop()
        dht.stop()
        network.close()
        await host.close()
    }
}
