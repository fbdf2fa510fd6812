import DMSNetworkLibp2p
import Libp2p
import Libp2pCrypto
import Multiformats

extension FuzzTarget {
    /// DHT requests and answers and the signed advertisements stored in its records, as they land.
    static let kademlia = FuzzTarget(
        name: "kademlia", maxLength: 160,
        seeds: {
            let peer = PeerID(publicKey: PrivateKey().publicKey)
            let message = KademliaMessage(
                kind: .getValue, key: Array("/nunet-dht-1/-k-x".utf8),
                record: KademliaMessage.Record(key: [1], value: [2], timeReceived: "t"),
                closerPeers: [KademliaMessage.Peer(id: peer, addresses: [try Multiaddr("/ip4/10.0.0.1/tcp/9000")])],
                providerPeers: [KademliaMessage.Peer(id: peer, addresses: [])])
            let advertisement = Advertisement(data: [1, 2, 3], identity: PrivateKey(), timestamp: 1_765_000_000)
            return [message.bytes, advertisement.bytes]
        },
        run: { input throws(FuzzFailure) in
            // What is accepted decodes the same after re-encoding (bounds and skipped entries included).
            if let decoded = try? KademliaMessage(bytes: input) {
                try require(
                    (try? KademliaMessage(bytes: decoded.bytes)) == decoded, "DHT message re-decodes differently")
            }
            if let decoded = try? Advertisement(bytes: input) {
                try require(
                    (try? Advertisement(bytes: decoded.bytes)) == decoded, "advertisement re-decodes differently")
                _ = try? decoded.verify()
            }
        })
}
