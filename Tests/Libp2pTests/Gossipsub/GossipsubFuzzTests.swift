import Libp2pCrypto
import Multiformats
import NunetFuzz
import Testing

@testable import Libp2p

/// Hostile input for the pubsub router and framing (the RPC decoder is NunetFuzz's `gossipsub` entry point):
/// random and mutated RPC bytes, oversize frames, control for unknown topics and floods of IHAVE, IWANT, GRAFT
/// and PRUNE. Nothing may crash, and what the router keeps must stay bounded. Iterations and seed come from
/// `FuzzSettings` (`NUNET_FUZZ_*`). The loops yield now and then: they run on the threads every other test shares.
@Suite struct GossipsubFuzzTests {
    static let topic = "/nunet/hello"

    @Test func frameDecoderHoldsAtMostOneFrame() async {
        var generator = FuzzMutator.Generator(seed: FuzzSettings.seed ^ 0xF4A3)
        let limit = 4096
        var decoder = FrameDecoder(maxFrameSize: limit)
        var refused = 0
        for index in 0..<FuzzSettings.iterations {
            if index % 100 == 0 { await Task.yield() }
            let chunk = (0..<Int.random(in: 0...512, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            decoder.append(chunk)
            do {
                while try decoder.next() != nil {}
            } catch {
                // A real stream is reset here; start a new one.
                refused += 1
                decoder = FrameDecoder(maxFrameSize: limit)
            }
            #expect(decoder.buffered <= limit + 10 + 512)
        }
        #expect(refused > 0, "random lengths above the limit are refused")
    }

    @Test func routerSurvivesHostileRPCsWithBoundedState() async throws {
        var parameters = GossipsubParameters()
        parameters.maxPendingValidations = 64
        var router = GossipsubRouter(localPeer: PeerID(publicKey: PrivateKey().publicKey), parameters: parameters)
        var now = ContinuousClock.now
        let peers = (0..<5).map { _ in PeerID(publicKey: PrivateKey().publicKey) }
        for peer in peers {
            _ = router.addPeer(peer)
            _ = router.handle(
                GossipsubRPC(subscriptions: [.init(subscribe: true, topic: Self.topic)]), from: peer, now: now)
        }
        _ = router.join(Self.topic, now: now)
        var generator = FuzzMutator.Generator(seed: FuzzSettings.seed ^ 0x707E)
        let samples = try #require(FuzzTargets.named("gossipsub")).seeds()
        var inputs = FuzzMutator(seed: FuzzSettings.seed ^ 0x707F, samples: samples, maxLength: 256)
        print("fuzz seed \(FuzzSettings.seed)")
        for index in 0..<FuzzSettings.iterations {
            let input = inputs.next()
            let peer = peers[Int.random(in: 0..<peers.count, using: &generator)]
            if let rpc = try? GossipsubCodec.decode(input) { _ = router.handle(rpc, from: peer, now: now) }
            if index % 100 == 0 {
                now = now + .seconds(1)
                _ = router.heartbeat(now: now)
                await Task.yield()
            }
        }
        // Floods from one peer: many IHAVE IDs, IWANTs, GRAFTs and PRUNEs for unknown topics, huge PX lists.
        let flooder = peers[0]
        let ids = (0..<2000).map { Varint.encode(UInt64($0)) }
        let exchanged = (0..<100).map { _ in
            GossipsubRPC.PeerInfo(peerID: PeerID(publicKey: PrivateKey().publicKey).bytes)
        }
        for round in 0..<200 {
            if round % 10 == 0 { await Task.yield() }
            let control = GossipsubRPC.Control(
                ihave: [.init(topic: Self.topic, messageIDs: ids), .init(topic: "unknown-\(round)", messageIDs: ids)],
                iwant: [.init(messageIDs: ids)],
                graft: [.init(topic: "unknown-\(round)"), .init(topic: Self.topic)],
                prune: [
                    .init(
                        topic: "other-\(round)",
                        peers: exchanged)
                ])
            let effects = router.handle(GossipsubRPC(control: control), from: flooder, now: now)
            #expect(effects.connect.count <= parameters.prunePeers)
            let asked = effects.send[flooder]?.control?.iwant.reduce(0) { $0 + $1.messageIDs.count } ?? 0
            #expect(asked <= parameters.maxIHaveLength)
        }
        #expect(router.meshPeers("unknown-1").isEmpty)
        #expect(Set(router.mesh.keys).isSubset(of: [Self.topic]))
        #expect(Set(router.backoff.keys).isSubset(of: [Self.topic]))
        #expect(router.peers.values.allSatisfy { $0.topics.count <= parameters.maxTopicsPerPeer })
        #expect(router.pendingValidations <= parameters.maxPendingValidations)
        #expect(router.promiseCount <= parameters.maxIHaveMessages * peers.count * 4, "promises expire after 3 s")
        #expect(router.score(flooder, now: now) < 0, "the IHAVE flood cost the flooder")
        now = now + .seconds(10)
        _ = router.heartbeat(now: now)
        #expect(router.promiseCount == 0)
    }
}
