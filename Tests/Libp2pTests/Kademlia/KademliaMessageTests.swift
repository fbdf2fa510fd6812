import Libp2pCrypto
import Multiformats
import Testing

@testable import Libp2p

@Suite struct KademliaMessageTests {
    let peer = PeerID(publicKey: PrivateKey().publicKey)

    @Test func roundTripsEveryField() throws {
        let message = KademliaMessage(
            kind: .getProviders, key: [1, 2, 3],
            record: KademliaMessage.Record(key: Array("/v/k".utf8), value: [9], timeReceived: "2026-12-06T18:00:00Z"),
            closerPeers: [KademliaMessage.Peer(id: peer, addresses: [try Multiaddr("/ip4/127.0.0.1/tcp/4001")])],
            providerPeers: [KademliaMessage.Peer(id: peer, addresses: [])])
        #expect(try KademliaMessage(bytes: message.bytes) == message)
    }

    @Test func putValueLeavesItsZeroTypeOutAsGoDoes() throws {
        let message = KademliaMessage(kind: .putValue, key: [7])
        #expect(message.bytes == [0x12, 0x01, 0x07], "only the key field: proto3 does not write a zero enum")
        #expect(try KademliaMessage(bytes: message.bytes).kind == .putValue)
        #expect(KademliaMessage(kind: .findNode, key: [7]).bytes == [0x08, 0x04, 0x12, 0x01, 0x07])
    }

    @Test func aFloodOfCloserPeersIsCutToTheBound() throws {
        var writer = ProtobufWriter()
        writer.varint(field: 1, 4)
        let addresses = try (0..<40).map { try Multiaddr("/ip4/10.0.0.1/tcp/\($0 + 1)").bytes }
        for _ in 0..<500 {
            var entry = ProtobufWriter()
            entry.bytes(field: 1, RoutingTableTests.randomPeer().bytes)
            for address in addresses { entry.bytes(field: 2, address) }
            writer.bytes(field: 8, entry.bytes)
        }
        let decoded = try KademliaMessage(bytes: writer.bytes)
        #expect(decoded.closerPeers.count == KademliaMessage.maxPeers)
        #expect(decoded.closerPeers.allSatisfy { $0.addresses.count == KademliaMessage.maxAddresses })
    }

    @Test func garbageEntriesAreSkippedAndBrokenMessagesRefused() throws {
        var writer = ProtobufWriter()
        writer.varint(field: 1, 4)
        writer.bytes(field: 8, [0xff, 0xff])  // not a protobuf
        var entry = ProtobufWriter()
        entry.bytes(field: 1, [0x99, 0x01, 0x00])  // not a multihash
        writer.bytes(field: 8, entry.bytes)
        #expect(try KademliaMessage(bytes: writer.bytes).closerPeers.isEmpty)

        #expect(throws: KademliaError.malformed("unknown message type 9")) {
            try KademliaMessage(bytes: [0x08, 0x09])
        }
        #expect(throws: KademliaError.self) { try KademliaMessage(bytes: [0x12, 0x05, 0x01]) }
    }
}
