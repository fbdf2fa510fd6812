import Libp2pCrypto
import Multiformats
import Testing

@testable import Libp2p

/// Swift gossipsub nodes over real loopback TCP.
@Suite struct GossipsubHostTests {
    static let topic = "/nunet/test"

    /// True once `condition` holds, checked every 50 ms for up to `limit` (a generous bound, not a timing).
    static func eventually(within limit: Duration = .seconds(30), _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return await condition()
    }

    /// The next message on `stream`, or nil if none comes within `limit`.
    static func next(_ stream: AsyncStream<GossipsubMessage>, within limit: Duration = .seconds(30)) async
        -> GossipsubMessage?
    {
        await withTaskGroup(of: GossipsubMessage?.self) { group in
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// `count` started nodes, each listening on 127.0.0.1, joined to the topic.
    static func nodes(_ count: Int) async throws -> [(Libp2pHost, Multiaddr, Gossipsub, AsyncStream<GossipsubMessage>)]
    {
        var nodes: [(Libp2pHost, Multiaddr, Gossipsub, AsyncStream<GossipsubMessage>)] = []
        for _ in 0..<count {
            let (host, address) = try await HostFixtures.listening()
            let gossipsub = Gossipsub(host: host)
            gossipsub.start()
            nodes.append((host, address, gossipsub, try gossipsub.join(topic)))
        }
        return nodes
    }

    @Test func aMessageCrossesALineOfFourAndADepartedPeerLeavesTheMesh() async throws {
        let nodes = try await Self.nodes(4)
        let (a, b, c, d) = (nodes[0], nodes[1], nodes[2], nodes[3])
        try await a.0.connect(b.1)
        try await b.0.connect(c.1)
        try await c.0.connect(d.1)
        let meshed = await Self.eventually {
            a.2.mesh(Self.topic) == [b.0.peerID] && b.2.mesh(Self.topic) == [a.0.peerID, c.0.peerID]
                && c.2.mesh(Self.topic) == [b.0.peerID, d.0.peerID] && d.2.mesh(Self.topic) == [c.0.peerID]
        }
        #expect(meshed, "each node meshes with its neighbours")

        let id = try await a.2.publish(Self.topic, Array("across the line".utf8))
        let atD = await Self.next(d.3)
        #expect(atD?.data == Array("across the line".utf8))
        #expect(atD?.from == a.0.peerID)
        #expect(atD?.receivedFrom == c.0.peerID, "forwarded by C")
        #expect(atD?.id == id)
        #expect(await Self.next(b.3)?.from == a.0.peerID)
        #expect(await Self.next(c.3)?.from == a.0.peerID)
        #expect(await Self.next(a.3)?.from == a.0.peerID, "our own message is delivered locally, as go does")

        // D goes away: C drops it from its mesh and its peers.
        await d.0.close()
        let dropped = await Self.eventually {
            !c.2.mesh(Self.topic).contains(d.0.peerID) && !c.2.connectedPeers.contains(d.0.peerID)
        }
        #expect(dropped)
        for node in nodes {
            node.2.stop()
            await node.0.close()
        }
    }

    @Test func validatorsDecideDeliveryAndForwarding() async throws {
        let (publisherHost, publisherAddress) = try await HostFixtures.listening()
        let publisher = Gossipsub(host: publisherHost)
        publisher.start()
        _ = try publisher.join(Self.topic)
        let nodes = try await Self.nodes(1)
        let (middleHost, middleAddress) = try await HostFixtures.listening()
        let middle = Gossipsub(host: middleHost)
        middle.start()
        // The middle node rejects anything that says "bad" and ignores "meh".
        let delivered = try middle.join(Self.topic) { message in
            switch message.data {
            case Array("bad".utf8): return .reject
            case Array("meh".utf8): return .ignore
            default: return .accept
            }
        }
        let end = nodes[0]
        try await publisherHost.connect(middleAddress)
        try await middleHost.connect(end.1)
        _ = publisherAddress
        #expect(await Self.eventually { middle.mesh(Self.topic).count == 2 && end.2.mesh(Self.topic).count == 1 })

        try await publisher.publish(Self.topic, Array("meh".utf8))
        try await publisher.publish(Self.topic, Array("bad".utf8))
        try await publisher.publish(Self.topic, Array("good".utf8))
        // Only "good" passes the middle node, both to its subscriber and onwards.
        #expect(await Self.next(delivered)?.data == Array("good".utf8))
        #expect(await Self.next(end.3)?.data == Array("good".utf8))
        #expect(middle.score(publisherHost.peerID) < 0, "the rejected message cost its sender")
        // What the node's metrics count: the middle node judged three, delivered one and forwarded one.
        let counts = middle.counters.snapshot
        #expect(counts["accepted"] == 1 && counts["rejected"] == 1 && counts["ignored"] == 1, "\(counts)")
        #expect(counts["delivered"] == 1 && counts["sent", default: 0] >= 1, "\(counts)")
        #expect(publisher.counters.snapshot["published"] == 3)
        // Our own validator applies to our own messages too.
        await #expect(throws: GossipsubError.validationRejected) {
            try await middle.publish(Self.topic, Array("bad".utf8))
        }
        for gossipsub in [publisher, middle, end.2] { gossipsub.stop() }
        for host in [publisherHost, middleHost, end.0] { await host.close() }
    }

    @Test func oversizeMessagesAreRefusedBeforeSending() async throws {
        let nodes = try await Self.nodes(1)
        do {
            try await nodes[0].2.publish(Self.topic, [UInt8](repeating: 0, count: 1 << 20))
            Issue.record("a message over 1 MiB was published")
        } catch {
            guard case .messageTooLarge(let size, let limit) = error else { throw error }
            #expect(size > limit && limit == 1 << 20)
        }
        // Just under the limit is fine.
        try await nodes[0].2.publish(Self.topic, [UInt8](repeating: 0, count: (1 << 20) - 200))
        nodes[0].2.stop()
        await nodes[0].0.close()
    }
}
