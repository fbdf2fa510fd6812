import Libp2pCrypto
import Testing

@testable import Libp2p

/// The router alone, driven with a fake clock: what it would send, deliver and score.
@Suite struct GossipsubRouterTests {
    static let topic = "/nunet/hello"

    /// A router with `count` peers subscribed to the topic, and the fake clock's start.
    struct Fixture {
        var router: GossipsubRouter
        var peers: [PeerID]
        var keys: [PeerID: PrivateKey]
        var now: ContinuousClock.Instant

        init(peers count: Int, parameters: GossipsubParameters = GossipsubParameters(), join: Bool = true) {
            router = GossipsubRouter(localPeer: PeerID(publicKey: PrivateKey().publicKey), parameters: parameters)
            now = .now
            keys = [:]
            peers = []
            for _ in 0..<count {
                let key = PrivateKey()
                let peer = PeerID(publicKey: key.publicKey)
                keys[peer] = key
                peers.append(peer)
                _ = router.addPeer(peer)
                _ = router.handle(
                    GossipsubRPC(subscriptions: [.init(subscribe: true, topic: GossipsubRouterTests.topic)]),
                    from: peer, now: now)
            }
            if join { _ = router.join(GossipsubRouterTests.topic, now: now) }
        }

        mutating func advance(_ duration: Duration) { now = now + duration }

        mutating func heartbeat() -> GossipsubEffects { router.heartbeat(now: now) }

        mutating func handle(_ rpc: GossipsubRPC, from peer: PeerID) -> GossipsubEffects {
            router.handle(rpc, from: peer, now: now)
        }

        func message(by author: PeerID, seqno: UInt64, topic: String = GossipsubRouterTests.topic)
            -> GossipsubRPC.Message
        {
            GossipsubSigning.signedMessage(topic: topic, data: [1, 2, 3], seqno: seqno, key: keys[author]!)
        }

        var mesh: Set<PeerID> { router.meshPeers(GossipsubRouterTests.topic) }
    }

    @Test func meshFillsToDAndStaysWithinBounds() {
        var fixture = Fixture(peers: 20)
        #expect(fixture.mesh.count == 6, "joining grafts D peers")
        // Every other peer grafts us too: accepted up to D_high, the rest pruned with peer exchange.
        var pruned = 0
        for peer in fixture.peers where !fixture.mesh.contains(peer) {
            let effects = fixture.handle(GossipsubRPC(control: .init(graft: [.init(topic: Self.topic)])), from: peer)
            if let prune = effects.send[peer]?.control?.prune.first {
                pruned += 1
                #expect(prune.backoff == 60)
                #expect(!prune.peers.isEmpty)
            }
        }
        #expect(fixture.mesh.count == 12)
        #expect(pruned == 8)
        for _ in 0..<5 {
            fixture.advance(.seconds(1))
            _ = fixture.heartbeat()
            #expect((5...12).contains(fixture.mesh.count))
        }
        // Mesh peers leaving make it fall below D_low; the next heartbeat grafts back up to D.
        for peer in fixture.mesh.prefix(9) { fixture.router.removePeer(peer, now: fixture.now) }
        #expect(fixture.mesh.count == 3)
        fixture.advance(.seconds(61))
        let effects = fixture.heartbeat()
        #expect(fixture.mesh.count == 6)
        let grafted = effects.send.filter { $0.value.control?.graft.isEmpty == false }
        #expect(grafted.count == 3)
    }

    @Test func graftDuringBackoffIsPenalisedAndRefused() {
        var fixture = Fixture(peers: 8)
        let peer = fixture.mesh.first!
        _ = fixture.handle(GossipsubRPC(control: .init(prune: [.init(topic: Self.topic, backoff: 60)])), from: peer)
        #expect(!fixture.mesh.contains(peer))
        #expect(fixture.router.score(peer, now: fixture.now) == 0)
        fixture.advance(.seconds(5))
        let effects = fixture.handle(GossipsubRPC(control: .init(graft: [.init(topic: Self.topic)])), from: peer)
        #expect(!fixture.mesh.contains(peer))
        #expect(effects.send[peer]?.control?.prune.first?.topic == Self.topic)
        #expect(fixture.router.score(peer, now: fixture.now) < 0)
        // After the backoff, a GRAFT from a peer that is not negatively scored would be accepted; this one
        // still carries its penalty, so it is refused without a further penalty.
        fixture.advance(.seconds(120))
        _ = fixture.heartbeat()
        let refused = fixture.handle(GossipsubRPC(control: .init(graft: [.init(topic: Self.topic)])), from: peer)
        #expect(refused.send[peer]?.control?.prune.isEmpty == false)
        #expect(!fixture.mesh.contains(peer))
    }

    @Test func graftForAnUnknownTopicIsIgnored() {
        var fixture = Fixture(peers: 3)
        let effects = fixture.handle(
            GossipsubRPC(control: .init(graft: [.init(topic: "unknown")])), from: fixture.peers[0])
        #expect(effects.isEmpty)
        #expect(fixture.router.meshPeers("unknown").isEmpty)
        #expect(fixture.router.backoff["unknown"] == nil)
        let pruned = fixture.handle(
            GossipsubRPC(control: .init(prune: [.init(topic: "unknown", backoff: 86400)])), from: fixture.peers[0])
        #expect(pruned.isEmpty)
        #expect(fixture.router.backoff["unknown"] == nil)
    }

    @Test func topicsPerPeerAreBounded() {
        var parameters = GossipsubParameters()
        parameters.maxTopicsPerPeer = 10
        var fixture = Fixture(peers: 1, parameters: parameters)
        let many = (0..<100).map { GossipsubRPC.SubOpts(subscribe: true, topic: "topic-\($0)") }
        _ = fixture.handle(GossipsubRPC(subscriptions: many), from: fixture.peers[0])
        #expect(fixture.router.peers[fixture.peers[0]]?.topics.count == 10)
        #expect(fixture.router.topicPeers(Self.topic) == [fixture.peers[0]], "earlier subscriptions stay")
    }

    @Test func ihaveIWantMessage() {
        var fixture = Fixture(peers: 3)
        let advertiser = fixture.peers[0]
        let author = fixture.peers[1]
        let message = fixture.message(by: author, seqno: 1)
        let id = GossipsubSigning.messageID(message)
        let asked = fixture.handle(
            GossipsubRPC(control: .init(ihave: [.init(topic: Self.topic, messageIDs: [id])])), from: advertiser)
        #expect(asked.send[advertiser]?.control?.iwant == [.init(messageIDs: [id])])
        let received = fixture.handle(GossipsubRPC(publish: [message]), from: advertiser)
        #expect(received.validate.map(\.id) == [id])
        let accepted = fixture.router.validated(received.validate[0], .accept, now: fixture.now)
        #expect(accepted.deliver.map(\.id) == [id])
        #expect(accepted.deliver.first?.author == author)
        // The promise was kept: no penalty after the followup time.
        fixture.advance(.seconds(5))
        _ = fixture.heartbeat()
        #expect(fixture.router.score(advertiser, now: fixture.now) > 0)
        // Advertised again, it is not asked for: it was seen.
        let again = fixture.handle(
            GossipsubRPC(control: .init(ihave: [.init(topic: Self.topic, messageIDs: [id])])), from: fixture.peers[2])
        #expect(again.send.isEmpty)
    }

    @Test func iwantIsAnsweredFromTheCacheAFewTimesOnly() {
        var fixture = Fixture(peers: 2)
        let own = GossipsubSigning.signedMessage(topic: Self.topic, data: [9], seqno: 1, key: PrivateKey())
        _ = fixture.router.publish(own, topic: Self.topic, now: fixture.now)
        let id = GossipsubSigning.messageID(own)
        let asker = fixture.peers[0]
        var answered = 0
        for _ in 0..<5 {
            let effects = fixture.handle(
                GossipsubRPC(control: .init(iwant: [.init(messageIDs: [id, [1, 2]])])), from: asker)
            if effects.send[asker]?.publish == [own] { answered += 1 }
        }
        #expect(answered == 3, "gossip retransmission limit")
        // Once the message leaves the cache windows (history length 5), it is no longer served.
        for _ in 0..<5 { _ = fixture.heartbeat() }
        let late = fixture.handle(
            GossipsubRPC(control: .init(iwant: [.init(messageIDs: [id])])), from: fixture.peers[1])
        #expect(late.send.isEmpty)
    }

    @Test func ihaveGossipGoesToPeersOutsideTheMesh() {
        var fixture = Fixture(peers: 10)
        let author = fixture.peers.first { !fixture.mesh.contains($0) }!
        let received = fixture.handle(GossipsubRPC(publish: [fixture.message(by: author, seqno: 1)]), from: author)
        _ = fixture.router.validated(received.validate[0], .accept, now: fixture.now)
        let effects = fixture.heartbeat()
        let gossiped = effects.send.filter { $0.value.control?.ihave.isEmpty == false }.keys
        #expect(!gossiped.isEmpty)
        #expect(gossiped.allSatisfy { !fixture.mesh.contains($0) })
    }

    @Test func brokenIWantPromisesArePenalised() {
        var fixture = Fixture(peers: 2)
        let liar = fixture.peers[0]
        let ids: [[UInt8]] = [[1, 1], [2, 2]]
        let effects = fixture.handle(
            GossipsubRPC(control: .init(ihave: [.init(topic: Self.topic, messageIDs: ids)])), from: liar)
        #expect(effects.send[liar]?.control?.iwant.first?.messageIDs.count == 2)
        fixture.advance(.seconds(1))
        _ = fixture.heartbeat()
        #expect(fixture.router.score(liar, now: fixture.now) >= 0, "still within the followup time")
        fixture.advance(.seconds(3))
        _ = fixture.heartbeat()
        #expect(fixture.router.score(liar, now: fixture.now) < 0)
    }

    @Test func ihaveFloodIsCappedPerHeartbeat() {
        var fixture = Fixture(peers: 2)
        let flooder = fixture.peers[0]
        var answered = 0
        for index in 0..<50 {
            let rpc = GossipsubRPC(
                control: .init(ihave: [.init(topic: Self.topic, messageIDs: [[UInt8(index), 7]])]))
            if fixture.handle(rpc, from: flooder).send[flooder]?.control?.iwant.isEmpty == false { answered += 1 }
        }
        #expect(answered == 10, "max IHAVE messages per heartbeat")
        #expect(fixture.router.score(flooder, now: fixture.now) < 0)
        // The ID budget is capped too: one IHAVE with more IDs than max IHAVE length gets a partial IWANT.
        var fresh = Fixture(peers: 1)
        let ids = (0..<6000).map { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8), 1] }
        let effects = fresh.handle(
            GossipsubRPC(control: .init(ihave: [.init(topic: Self.topic, messageIDs: ids)])), from: fresh.peers[0])
        #expect(effects.send[fresh.peers[0]]?.control?.iwant.first?.messageIDs.count == 5000)
        let more = fresh.handle(
            GossipsubRPC(control: .init(ihave: [.init(topic: Self.topic, messageIDs: [[9, 9, 9, 9]])])),
            from: fresh.peers[0])
        #expect(more.send.isEmpty)
    }

    @Test func fanoutExpiresAfterItsTTL() {
        var parameters = GossipsubParameters()
        parameters.floodPublish = false
        var fixture = Fixture(peers: 8, parameters: parameters, join: false)
        let own = GossipsubSigning.signedMessage(topic: Self.topic, data: [1], seqno: 1, key: PrivateKey())
        let effects = fixture.router.publish(own, topic: Self.topic, now: fixture.now)
        #expect(effects.send.count == 6)
        #expect(fixture.router.fanoutPeers(Self.topic).count == 6)
        fixture.advance(.seconds(30))
        _ = fixture.heartbeat()
        #expect(fixture.router.fanoutPeers(Self.topic).count == 6)
        fixture.advance(.seconds(31))
        _ = fixture.heartbeat()
        #expect(fixture.router.fanoutPeers(Self.topic).isEmpty)
    }

    @Test func floodPublishReachesEveryTopicPeer() {
        var fixture = Fixture(peers: 15)
        let own = GossipsubSigning.signedMessage(topic: Self.topic, data: [1], seqno: 1, key: PrivateKey())
        let effects = fixture.router.publish(own, topic: Self.topic, now: fixture.now)
        #expect(Set(effects.send.keys) == Set(fixture.peers))
    }

    @Test func duplicatesAreDroppedBySeenCache() {
        var fixture = Fixture(peers: 3)
        let message = fixture.message(by: fixture.peers[0], seqno: 1)
        let first = fixture.handle(GossipsubRPC(publish: [message]), from: fixture.peers[0])
        let whileValidating = fixture.handle(GossipsubRPC(publish: [message]), from: fixture.peers[1])
        #expect(first.validate.count == 1)
        #expect(whileValidating.validate.isEmpty)
        _ = fixture.router.validated(first.validate[0], .accept, now: fixture.now)
        let afterwards = fixture.handle(GossipsubRPC(publish: [message]), from: fixture.peers[2])
        #expect(afterwards.isEmpty)
        #expect(fixture.router.score(fixture.peers[0], now: fixture.now) > 0, "first delivery counts (P2)")
        #expect(fixture.router.score(fixture.peers[1], now: fixture.now) == 0)
    }

    @Test func forwardingSkipsTheSenderAndTheAuthor() {
        var fixture = Fixture(peers: 6)
        let author = fixture.peers[0]
        let sender = fixture.peers[1]
        #expect(fixture.mesh.isSuperset(of: [author, sender]))
        let received = fixture.handle(GossipsubRPC(publish: [fixture.message(by: author, seqno: 5)]), from: sender)
        let forwarded = fixture.router.validated(received.validate[0], .accept, now: fixture.now)
        #expect(Set(forwarded.send.keys) == fixture.mesh.subtracting([author, sender]))
    }

    @Test func rejectPenalisesIgnoreDoesNot() {
        var fixture = Fixture(peers: 3)
        let rejected = fixture.handle(
            GossipsubRPC(publish: [fixture.message(by: fixture.peers[0], seqno: 1)]), from: fixture.peers[0])
        let outcome = fixture.router.validated(rejected.validate[0], .reject, now: fixture.now)
        #expect(outcome.deliver.isEmpty && outcome.send.isEmpty)
        #expect(fixture.router.score(fixture.peers[0], now: fixture.now) < 0)
        let ignored = fixture.handle(
            GossipsubRPC(publish: [fixture.message(by: fixture.peers[1], seqno: 1)]), from: fixture.peers[1])
        let none = fixture.router.validated(ignored.validate[0], .ignore, now: fixture.now)
        #expect(none.isEmpty)
        #expect(fixture.router.score(fixture.peers[1], now: fixture.now) == 0)
    }

    @Test func invalidSendersAreGraylisted() {
        var fixture = Fixture(peers: 3)
        let bad = fixture.peers[0]
        for seqno in 1...6 {
            var forged = fixture.message(by: fixture.peers[1], seqno: UInt64(seqno))
            forged.data = [6, 6, 6]
            let effects = fixture.handle(GossipsubRPC(publish: [forged]), from: bad)
            #expect(effects.validate.isEmpty)
        }
        #expect(fixture.router.score(bad, now: fixture.now) < fixture.router.thresholds.graylist)
        // Everything from it is ignored now, even valid messages and control.
        let valid = fixture.message(by: bad, seqno: 100)
        let ignored = fixture.handle(
            GossipsubRPC(
                subscriptions: [.init(subscribe: false, topic: Self.topic)], publish: [valid],
                control: .init(ihave: [.init(topic: Self.topic, messageIDs: [[1]])])), from: bad)
        #expect(ignored.isEmpty)
        #expect(fixture.router.topicPeers(Self.topic).contains(bad))
        // And the heartbeat drops it from the mesh (negative score).
        _ = fixture.heartbeat()
        #expect(!fixture.mesh.contains(bad))
    }

    @Test func ownMessagesComingBackAreDropped() {
        let key = PrivateKey()
        var router = GossipsubRouter(localPeer: PeerID(publicKey: key.publicKey))
        let peer = PeerID(publicKey: PrivateKey().publicKey)
        let now = ContinuousClock.now
        _ = router.addPeer(peer)
        _ = router.join(Self.topic, now: now)
        let mine = GossipsubSigning.signedMessage(topic: Self.topic, data: [1], seqno: 1, key: key)
        #expect(router.handle(GossipsubRPC(publish: [mine]), from: peer, now: now).validate.isEmpty)
        #expect(router.score(peer, now: now) == 0)
    }

    @Test func peerExchangeOnlyFromWellScoredPeers() {
        var fixture = Fixture(peers: 3)
        let offered = PeerID(publicKey: PrivateKey().publicKey)
        let prune = GossipsubRPC(
            control: .init(prune: [.init(topic: Self.topic, peers: [.init(peerID: offered.bytes)], backoff: 60)]))
        let good = fixture.handle(prune, from: fixture.peers[0])
        #expect(good.connect == [offered])
        // A peer with a negative score (one rejected message) is not trusted for peer exchange.
        let bad = fixture.peers[1]
        let rejected = fixture.handle(GossipsubRPC(publish: [fixture.message(by: bad, seqno: 1)]), from: bad)
        _ = fixture.router.validated(rejected.validate[0], .reject, now: fixture.now)
        #expect(fixture.handle(prune, from: bad).connect.isEmpty)
    }

    @Test func leavingAndDepartingPeersLeaveTheMesh() {
        var fixture = Fixture(peers: 4)
        let unsubscriber = fixture.peers[0]
        _ = fixture.handle(
            GossipsubRPC(subscriptions: [.init(subscribe: false, topic: Self.topic)]), from: unsubscriber)
        #expect(!fixture.mesh.contains(unsubscriber))
        let departed = fixture.peers[1]
        fixture.router.removePeer(departed, now: fixture.now)
        #expect(!fixture.mesh.contains(departed))
        #expect(!fixture.router.topicPeers(Self.topic).contains(departed))
        let effects = fixture.router.leave(Self.topic, now: fixture.now)
        #expect(fixture.mesh.isEmpty)
        let prunes = effects.send.values.compactMap { $0.control?.prune.first }
        #expect(prunes.count == 2)
        #expect(prunes.allSatisfy { $0.backoff == 10 })
    }

    @Test func scoresDecayAtTheirInterval() {
        var fixture = Fixture(peers: 2)
        let peer = fixture.peers[0]
        // Out of the mesh first, so time in the mesh (P1) does not mask the decay.
        _ = fixture.handle(GossipsubRPC(control: .init(prune: [.init(topic: Self.topic)])), from: peer)
        let rejected = fixture.handle(GossipsubRPC(publish: [fixture.message(by: peer, seqno: 1)]), from: peer)
        _ = fixture.router.validated(rejected.validate[0], .reject, now: fixture.now)
        _ = fixture.heartbeat()
        let before = fixture.router.score(peer, now: fixture.now)
        fixture.advance(.seconds(3601))
        _ = fixture.heartbeat()
        let after = fixture.router.score(peer, now: fixture.now)
        #expect(before < after && after < 0)
    }

    @Test func appSpecificScoreCounts() {
        var scoreParameters = PeerScoreParameters()
        let favourite = PeerID(publicKey: PrivateKey().publicKey)
        scoreParameters.appSpecificScore = { $0 == favourite ? 5 : -3000 }
        let router = GossipsubRouter(
            localPeer: PeerID(publicKey: PrivateKey().publicKey), scoreParameters: scoreParameters)
        #expect(router.score(favourite, now: .now) == 5)
        #expect(router.score(PeerID(publicKey: PrivateKey().publicKey), now: .now) < router.thresholds.graylist)
    }
}
