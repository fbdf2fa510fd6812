import DMSNetwork
import Libp2p
import Libp2pCrypto
import Multiformats
import Testing

@testable import DMSNetworkLibp2p

/// A message to a peer this host has never met: its address comes from the DHT.
@Suite struct RoutedSendTests {
    struct Member {
        let network: Libp2pNetwork
        let dht: KademliaDHT
        let address: Multiaddr
    }

    static func member() async throws -> Member {
        let host = Libp2pHost(identity: PrivateKey())
        let address = try await host.listen(try Multiaddr("/ip4/127.0.0.1/tcp/0")).appending(.p2p(host.peerID.bytes))
        let dht = KademliaDHT(host: host)
        dht.start()
        return Member(network: Libp2pNetwork(host: host, dht: dht), dht: dht, address: address)
    }

    @Test func aMessageReachesAPeerKnownOnlyThroughTheDHT() async throws {
        let hub = try await Self.member()
        let sender = try await Self.member()
        let receiver = try await Self.member()
        defer {
            Task {
                for member in [hub, sender, receiver] {
                    member.dht.stop()
                    member.network.close()
                    await member.network.host.close()
                }
            }
        }
        let (delivered, continuation) = AsyncStream<[UInt8]>.makeStream()
        try receiver.network.register(inbox: "root") { payload, _ in continuation.yield(payload) }
        // Both know only the hub; the receiver announces itself to it.
        try await receiver.network.host.connect(hub.address)
        try await sender.network.host.connect(hub.address)
        for _ in 0..<200 where !hub.dht.routingTable.contains(receiver.network.host.peerID) {
            try await Task.sleep(for: .milliseconds(10))
        }
        for _ in 0..<200 where sender.dht.routingTable.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        #expect(sender.network.host.peerStore.record(receiver.network.host.peerID) == nil)

        try await sender.network.send(
            Array("through the DHT".utf8), to: receiver.network.hostID, inbox: "root", deadline: .now + .seconds(20))
        var iterator = delivered.makeAsyncIterator()
        #expect(await iterator.next() == Array("through the DHT".utf8))

        // A peer nobody knows is reported unreachable, not waited for.
        let stranger = PeerID(publicKey: PrivateKey().publicKey).description
        await #expect(throws: NetworkError.unknownHost(stranger)) {
            try await sender.network.send([1], to: stranger, inbox: "root", deadline: .now + .seconds(20))
        }
    }
}
