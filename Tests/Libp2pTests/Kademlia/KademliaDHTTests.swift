import Libp2pCrypto
import Multiformats
import NunetTestSupport
import Testing

@testable import Libp2p

/// DHT nodes on real hosts over loopback TCP.
@Suite struct KademliaDHTTests {
    /// Accepts values that start with "ok" in namespace `test`.
    struct TestValidator: RecordValidator {
        func validate(key: String, value: [UInt8]) throws(KademliaError) {
            guard value.starts(with: Array("ok".utf8)) else {
                throw .invalidRecord(key: key, reason: "the value must start with ok")
            }
        }
        func select(key: String, values: [[UInt8]]) -> Int { 0 }
    }

    struct Node {
        let host: Libp2pHost
        let address: Multiaddr
        let dht: KademliaDHT
    }

    static func node(mode: KademliaDHT.Mode = .auto) async throws -> Node {
        let (host, address) = try await HostFixtures.listening()
        var configuration = KademliaDHT.Configuration()
        configuration.mode = mode
        configuration.validator = NamespacedValidator(["test": TestValidator()])
        configuration.queryTimeout = .seconds(5)
        let dht = KademliaDHT(host: host, configuration: configuration)
        dht.start()
        return Node(host: host, address: address, dht: dht)
    }

    /// `count` nodes that each know only the first, bootstrapped in turn.
    static func network(_ count: Int) async throws -> [Node] {
        var nodes = [try await node()]
        for _ in 1..<count {
            let next = try await node()
            try await next.host.connect(nodes[0].address)
            #expect(await NunetProcess.eventually(timeout: 10) { !next.dht.routingTable.isEmpty })
            await next.dht.bootstrap()
            nodes.append(next)
        }
        return nodes
    }

    static func close(_ nodes: [Node]) async {
        for node in nodes {
            node.dht.stop()
            await node.host.close()
        }
    }

    @Test func peersThatKnowOnlyTheBootstrapPeerFindEachOther() async throws {
        let nodes = try await Self.network(8)
        defer { Task { await Self.close(nodes) } }
        // The last node to join learned of all earlier ones through its self lookup.
        let last = nodes[7]
        #expect(last.dht.routingTable.count == 7)
        // A node that joined early finds a later one it was never told of.
        let addresses = try await nodes[1].dht.findPeer(last.host.peerID)
        #expect(addresses.contains { $0.description.hasPrefix("/ip4/127.0.0.1/tcp/") })
        // What the node's metrics count: lookups made by kind, requests answered by kind.
        #expect(nodes[1].dht.counters.snapshot["lookup_findNode", default: 0] >= 1)
        #expect(
            nodes[0].dht.counters.snapshot["served_findNode", default: 0] >= 7, "every joiner asked the bootstrap peer")
        let rtt = try await nodes[1].host.ping(last.host.peerID)
        #expect(rtt > .zero)
    }

    @Test func valuesAndProviderRecordsTravel() async throws {
        let nodes = try await Self.network(6)
        defer { Task { await Self.close(nodes) } }
        let stored = try await nodes[2].dht.putValue(key: "/test/greeting", value: Array("ok hello".utf8))
        #expect(stored >= 3)
        #expect(try await nodes[5].dht.getValue(key: "/test/greeting") == Array("ok hello".utf8))
        await #expect(throws: KademliaError.notFound("value /test/missing")) {
            try await nodes[4].dht.getValue(key: "/test/missing")
        }

        let key = Multihash(code: .sha256, digest: Array(repeating: 7, count: 32)).bytes
        #expect(await nodes[3].dht.provide(key) >= 3)
        let providers = await nodes[1].dht.findProviders(key, limit: 5)
        #expect(providers.map { $0.id } == [nodes[3].host.peerID])
        #expect(providers.first?.addresses.isEmpty == false)
    }

    @Test func invalidRecordsAreRefusedHereAndByPeers() async throws {
        let nodes = try await Self.network(3)
        defer { Task { await Self.close(nodes) } }
        await #expect(throws: KademliaError.invalidRecord(key: "/test/x", reason: "the value must start with ok")) {
            try await nodes[1].dht.putValue(key: "/test/x", value: Array("bad".utf8))
        }
        await #expect(throws: KademliaError.invalidRecord(key: "/other/x", reason: "no validator for namespace other"))
        {
            try await nodes[1].dht.putValue(key: "/other/x", value: Array("ok".utf8))
        }
        // A peer that skips its own checks: the receiver refuses the record and keeps nothing.
        let record = KademliaMessage.Record(key: Array("/test/y".utf8), value: Array("bad".utf8))
        let peer = KademliaMessage.Peer(id: nodes[0].host.peerID, addresses: [])
        await #expect(throws: (any Error).self) {
            try await nodes[1].dht.send(KademliaMessage(kind: .putValue, key: record.key, record: record), to: peer)
        }
        let reply = try await nodes[1].dht.send(KademliaMessage(kind: .getValue, key: record.key), to: peer)
        #expect(reply?.record == nil)
        // Announcing someone else as a provider is ignored.
        let key = Multihash(code: .sha256, digest: Array(repeating: 9, count: 32)).bytes
        let impostor = KademliaMessage.Peer(id: nodes[2].host.peerID, addresses: [nodes[2].address])
        _ = try await nodes[1].dht.send(
            KademliaMessage(kind: .addProvider, key: key, providerPeers: [impostor]), to: peer)
        let asked = try await nodes[1].dht.send(KademliaMessage(kind: .getProviders, key: key), to: peer)
        #expect(asked?.providerPeers.isEmpty == true)
    }

    @Test func clientsAskButAreNotListed() async throws {
        let server = try await Self.node()
        let client = try await Self.node(mode: .client)
        defer {
            Task {
                await Self.close([server, client])
            }
        }
        try await client.host.connect(server.address)
        #expect(await NunetProcess.eventually(timeout: 10) { client.dht.routingTable.contains(server.host.peerID) })
        #expect(!client.dht.isServer && server.dht.isServer)
        try await Task.sleep(for: .milliseconds(200))
        #expect(!server.dht.routingTable.contains(client.host.peerID), "a client does not serve, so is not listed")
        let closest = await client.dht.closestPeers(to: server.host.peerID.bytes)
        #expect(closest.map { $0.id } == [server.host.peerID])
    }
}
