import DMSNetworkLibp2p
import Libp2p
import Logging
import Multiformats

/// The node's libp2p host: listens where the configuration says, reaches the bootstrap peers, and
/// carries actor messages for the node.
public struct PeerToPeer: Sendable {
    public let host: Libp2pHost
    public let network: Libp2pNetwork
    public let listenAddresses: [Multiaddr]
    let bootstrapPeers: [Multiaddr]
    let logger: Logger

    /// Starts listening; fails naming the address that cannot be used.
    public static func start(identity: NodeIdentity, listen: [String], bootstrap: [String], logger: Logger)
        async throws -> PeerToPeer
    {
        let host = Libp2pHost(identity: identity.key, logger: logger)
        var bound: [Multiaddr] = []
        for text in listen {
            do {
                bound.append(try await host.listen(try Multiaddr(text)))
            } catch {
                await host.close()
                throw StartupError.p2pListen(address: text, reason: "\(error)")
            }
        }
        let peers = bootstrap.compactMap { try? Multiaddr($0) }
        return PeerToPeer(
            host: host, network: Libp2pNetwork(host: host, logger: logger), listenAddresses: bound,
            bootstrapPeers: peers, logger: logger)
    }

    /// Dials the bootstrap peers this host is not connected to.
    func connectBootstrapPeers() async {
        let connected = Set(host.connectedPeers.map(\.bytes))
        for address in bootstrapPeers {
            if let peer = address.splittingPeer.peer, connected.contains(peer) { continue }
            do {
                let connection = try await host.connect(address)
                logger.info("connected to bootstrap peer", metadata: ["peer": "\(connection.remotePeer)"])
            } catch {
                logger.warning(
                    "bootstrap peer not reachable", metadata: ["address": "\(address)", "error": "\(error)"])
            }
        }
    }
}
