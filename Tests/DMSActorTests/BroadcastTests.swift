import DMSActor
import DMSCapabilities
import DMSCore
import DMSCrypto
import DMSNetwork
import Testing

@Suite struct BroadcastTests {
    let hub = InMemoryNetworkHub()

    func subscribe(_ node: TestNode, _ recorder: Recorder) throws {
        node.actor.addBehavior("/broadcast/hello", options: BehaviorOptions(topic: "/nunet/hello")) { message in
            recorder.record(message.envelope.from.did.uri)
            return json("\"hello from \(node.did)\"")
        }
        try node.actor.subscribe(topic: "/nunet/hello")
    }

    func broadcast(from node: TestNode) -> Envelope {
        Envelope(
            to: .empty, behavior: "/broadcast/hello", from: node.handle,
            options: EnvelopeOptions(expiry: UnixTime.nowNanoseconds() + 30_000_000_000, topic: "/nunet/hello"))
    }

    @Test func trustedBroadcastsAreDeliveredAndRepliesCollected() async throws {
        let a = try TestNode(hub: hub)
        let b = try TestNode(hub: hub)
        let c = try TestNode(hub: hub)
        let heard = Recorder()
        for receiver in [b, c] {
            try subscribe(receiver, heard)
            try receiver.trust(a, capabilities: ["/broadcast"], topics: ["/nunet"])
        }
        let replies = try await a.actor.publishCollectingReplies(broadcast(from: a), limit: 2)
        #expect(Set(replies.map { text($0.message) }) == ["\"hello from \(b.did)\"", "\"hello from \(c.did)\""])
        #expect(await eventually { heard.count == 2 })
        #expect(heard.all == [a.did.uri, a.did.uri])
    }

    @Test func untrustedBroadcastsAreNotHandled() async throws {
        let a = try TestNode(hub: hub)
        let b = try TestNode(hub: hub)
        let heard = Recorder()
        try subscribe(b, heard)
        try await a.actor.publish(broadcast(from: a))
        #expect(await eventually { b.actor.statistics.snapshot.rejected["not_authorized"] == 1 })
        #expect(heard.count == 0)
    }

    @Test func broadcastTokensOnlyCoverTheirTopic() async throws {
        let a = try TestNode(hub: hub)
        let b = try TestNode(hub: hub)
        let heard = Recorder()
        try subscribe(b, heard)
        try b.trust(a, capabilities: ["/broadcast"], topics: ["/nunet/status"])
        try await a.actor.publish(broadcast(from: a))
        #expect(await eventually { b.actor.statistics.snapshot.rejected["not_authorized"] == 1 })
        #expect(heard.count == 0)
    }

    @Test func invalidBroadcastsAreRejectedByTheValidator() async throws {
        let a = try TestNode(hub: hub)
        let b = try TestNode(hub: hub)
        let heard = Recorder()
        try subscribe(b, heard)
        try b.trust(a, capabilities: ["/broadcast"], topics: ["/nunet"])
        var tampered = broadcast(from: a)
        try a.actor.security.prepare(&tampered)
        tampered.message = json("1")
        try await a.network.publish(tampered.encoding, topic: "/nunet/hello")
        try await a.network.publish(json("not an envelope"), topic: "/nunet/hello")
        try await a.actor.publish(broadcast(from: a))
        #expect(await eventually { heard.count == 1 })
        #expect(b.actor.statistics.snapshot.received == 1, "the validator dropped the other two before delivery")
    }
}
