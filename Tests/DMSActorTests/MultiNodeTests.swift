import DMSActor
import DMSCapabilities
import DMSCore
import DMSNetwork
import Testing

/// Three nodes that trust each other through grants exchange invocations and broadcasts.
@Suite struct MultiNodeTests {
    @Test func threeNodesInvokeAndBroadcastThroughMutualGrants() async throws {
        let hub = InMemoryNetworkHub()
        let nodes = try (0..<3).map { _ in try TestNode(hub: hub) }
        for node in nodes {
            node.actor.addBehavior("/public/hello") { message in
                json("\"hello \(message.envelope.from.did) from \(node.did)\"")
            }
            node.actor.addBehavior("/broadcast/hello", options: BehaviorOptions(topic: "/nunet/hello")) { _ in
                json("\"\(node.did)\"")
            }
            try node.actor.subscribe(topic: "/nunet/hello")
            for other in nodes where other.did != node.did {
                try node.trust(other, capabilities: ["/public", "/broadcast"], topics: ["/nunet"])
            }
        }
        for caller in nodes {
            for callee in nodes where callee.did != caller.did {
                let reply = try await caller.actor.invoke(
                    caller.actor.message(to: callee.handle, behavior: "/public/hello"))
                #expect(text(reply.message) == "\"hello \(caller.did) from \(callee.did)\"")
            }
        }
        let replies = try await nodes[0].actor.publishCollectingReplies(
            Envelope(
                to: .empty, behavior: "/broadcast/hello", from: nodes[0].handle,
                options: EnvelopeOptions(expiry: UnixTime.nowNanoseconds() + 10_000_000_000, topic: "/nunet/hello")),
            limit: 2)
        #expect(Set(replies.map { text($0.message) }) == Set(nodes.dropFirst().map { "\"\($0.did)\"" }))
        // A fourth node nobody granted anything is refused everywhere.
        let stranger = try TestNode(hub: hub)
        let refused = await #expect(throws: ActorError.self) {
            try await stranger.actor.invoke(stranger.actor.message(to: nodes[1].handle, behavior: "/public/hello"))
        }
        #expect(refused?.code == "not_authorized")
    }

    @Test func statisticsCountTrafficRejectionsAndLatency() async throws {
        let hub = InMemoryNetworkHub()
        let a = try TestNode(hub: hub)
        let b = try TestNode(hub: hub)
        try b.trust(a, capabilities: ["/echo"])
        b.actor.addBehavior("/echo") { message in message.envelope.message }
        for _ in 0..<5 {
            _ = try await a.actor.invoke(a.actor.message(to: b.handle, behavior: "/echo", payload: json("1")))
        }
        _ = try? await a.actor.invoke(a.actor.message(to: b.handle, behavior: "/missing"))
        // A send counts once the network took it, which may be just after the caller already has the reply.
        #expect(await eventually { b.actor.statistics.snapshot.sent == 6 })
        let stats = b.actor.statistics.snapshot
        #expect(stats.received == 6)
        #expect(stats.handled == 5)
        #expect(stats.sent == 6, "five replies and one error reply")
        #expect(stats.rejected == ["unknown_behavior": 1])
        #expect(stats.latencyCounts.reduce(0, +) == 5)
        #expect(stats.latencyPercentile(0.5) != nil)
        let json = stats.json
        #expect(json["handler_latency"]?["count"] == .integer(5))
        #expect(a.actor.statistics.snapshot.sent == 6)
    }
}
