import Crypto
import Libp2p
import Libp2pCrypto
import Logging
import Multiformats

/// How DMS nodes find each other beyond their bootstrap peers: each announces itself as a DHT provider
/// of the rendezvous namespace (the CIDv1-raw key of its SHA-256, as go-libp2p's routing discovery
/// does) and dials the providers it finds, up to a limit.
public struct Rendezvous: Sendable {
    public let namespace: String
    /// Providers asked for per round (the Go DMS's `PeerCountDiscoveryLimit`, 40).
    public let limit: Int
    let dht: KademliaDHT
    let logger: Logger

    public init(namespace: String, limit: Int, dht: KademliaDHT, logger: Logger) {
        self.namespace = namespace
        self.limit = limit
        self.dht = dht
        self.logger = logger
    }

    /// The provider key (multihash bytes) for `namespace`.
    public static func key(_ namespace: String) -> [UInt8] {
        Multihash(code: .sha256, digest: Array(SHA256.hash(data: Array(namespace.utf8)))).bytes
    }

    /// The namespace's CID, as `nunet` and Go print it.
    public static func cid(_ namespace: String) -> CID {
        // The key is a well-formed multihash by construction.
        CID(codec: CID.raw, multihash: try! Multihash(decoding: key(namespace)))
    }

    /// Announces this node; how many DHT peers took the record.
    @discardableResult
    public func advertise() async -> Int { await dht.provide(Self.key(namespace)) }

    /// Finds other nodes of the namespace and connects to those not connected yet; returns the peers
    /// newly connected.
    @discardableResult
    public func discover() async -> [PeerID] {
        let host = dht.host
        let found = await dht.findProviders(Self.key(namespace), limit: limit).filter {
            $0.id != host.peerID && host.connections(to: $0.id).isEmpty
        }
        return await withTaskGroup(of: PeerID?.self) { group in
            for provider in found {
                group.addTask {
                    do {
                        _ = try await host.connection(to: provider.id)
                        return provider.id
                    } catch {
                        logger.debug(
                            "discovered peer not reachable", metadata: ["peer": "\(provider.id)", "error": "\(error)"])
                        return nil
                    }
                }
            }
            var connected: [PeerID] = []
            for await peer in group { if let peer { connected.append(peer) } }
            return connected
        }
    }
}
