import Libp2p
import Libp2pCrypto

extension FuzzTarget {
    /// Pubsub RPCs as they land: subscriptions, signed messages and every kind of control.
    static let gossipsub = FuzzTarget(
        name: "gossipsub", maxLength: 256,
        seeds: {
            let topic = "/nunet/hello"
            let signed = GossipsubSigning.signedMessage(
                topic: topic, data: Array("payload".utf8), seqno: 3, key: PrivateKey())
            let everything = GossipsubRPC(
                subscriptions: [.init(subscribe: true, topic: topic), .init(subscribe: false, topic: "old")],
                publish: [
                    .init(
                        from: [0, 36, 8, 1], data: Array("hello".utf8), seqno: GossipsubSigning.seqnoBytes(7),
                        topics: [topic], signature: [1, 2, 3], key: [4, 5])
                ],
                control: .init(
                    ihave: [.init(topic: topic, messageIDs: [[1, 2], [3]])], iwant: [.init(messageIDs: [[9]])],
                    graft: [.init(topic: "t")],
                    prune: [.init(topic: "t", peers: [.init(peerID: [7, 7], signedPeerRecord: [8])], backoff: 60)]))
            return [
                GossipsubCodec.encode(everything), GossipsubCodec.encode(GossipsubRPC(publish: [signed])),
                GossipsubCodec.encode(
                    GossipsubRPC(control: .init(ihave: [.init(topic: topic, messageIDs: [[1, 2, 3], [4]])]))),
                GossipsubCodec.encode(
                    GossipsubRPC(
                        control: .init(prune: [.init(topic: topic, peers: [.init(peerID: [0, 1])], backoff: 9)]))),
            ]
        },
        run: { input throws(FuzzFailure) in
            guard let rpc = try? GossipsubCodec.decode(input) else { return }
            // What is accepted re-encodes to an equal RPC (the bytes may differ: unknown fields are dropped).
            try require((try? GossipsubCodec.decode(GossipsubCodec.encode(rpc))) == rpc, "RPC re-decodes differently")
            for message in rpc.publish { _ = try? GossipsubSigning.verify(message) }
        })
}
