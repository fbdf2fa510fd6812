import Libp2pCrypto
import Multiformats
import Testing

@testable import Libp2p

/// The pubsub RPC codec: round trips, bytes fixed by the protobuf encoding rules, and refusals.
@Suite struct GossipsubCodecTests {
    static let sample = GossipsubRPC(
        subscriptions: [.init(subscribe: true, topic: "/nunet/hello"), .init(subscribe: false, topic: "old")],
        publish: [
            .init(
                from: [0, 36, 8, 1], data: Array("hello".utf8), seqno: GossipsubSigning.seqnoBytes(7),
                topics: ["/nunet/hello"], signature: [1, 2, 3], key: [4, 5])
        ],
        control: .init(
            ihave: [.init(topic: "/nunet/hello", messageIDs: [[1, 2], [3]])], iwant: [.init(messageIDs: [[9]])],
            graft: [.init(topic: "t")],
            prune: [.init(topic: "t", peers: [.init(peerID: [7, 7], signedPeerRecord: [8])], backoff: 60)]))

    @Test func roundTrip() throws {
        let bytes = GossipsubCodec.encode(Self.sample)
        #expect(try GossipsubCodec.decode(bytes) == Self.sample)
        #expect(GossipsubCodec.encode(try GossipsubCodec.decode(bytes)) == bytes)
    }

    @Test func knownBytes() throws {
        // RPC{subscriptions: [{subscribe: true, topicid: "a"}]}
        let subscribe: [UInt8] = [0x0A, 0x05, 0x08, 0x01, 0x12, 0x01, 0x61]
        #expect(GossipsubCodec.encode(GossipsubRPC(subscriptions: [.init(subscribe: true, topic: "a")])) == subscribe)
        // RPC{control: {graft: [{topicID: "t"}]}}
        let graft: [UInt8] = [0x1A, 0x05, 0x1A, 0x03, 0x0A, 0x01, 0x74]
        #expect(try GossipsubCodec.decode(graft) == GossipsubRPC(control: .init(graft: [.init(topic: "t")])))
        // RPC{control: {prune: [{topicID: "t", backoff: 60}]}}
        let prune: [UInt8] = [0x1A, 0x07, 0x22, 0x05, 0x0A, 0x01, 0x74, 0x18, 0x3C]
        #expect(GossipsubCodec.encode(GossipsubRPC(control: .init(prune: [.init(topic: "t", backoff: 60)]))) == prune)
        // A frame is uvarint(length) ‖ RPC.
        #expect(
            GossipsubCodec.frame(GossipsubRPC(subscriptions: [.init(subscribe: true, topic: "a")])) == [7] + subscribe)
    }

    @Test func proto2PresenceIsKept() throws {
        // An empty but present data field is encoded (the signature covers it) and read back as present.
        let message = GossipsubRPC.Message(from: [1], data: [], seqno: nil)
        #expect(GossipsubCodec.encode(message) == [0x0A, 0x01, 0x01, 0x12, 0x00])
        let decoded = try GossipsubCodec.decode(GossipsubCodec.encode(GossipsubRPC(publish: [message])))
        #expect(decoded.publish.first?.data == [])
        #expect(decoded.publish.first?.seqno == nil)
    }

    @Test func unknownFieldsAreSkipped() throws {
        // Field 9 (varint), field 10 (fixed64), field 11 (fixed32), an IDONTWANT (control field 5), then a graft.
        let bytes: [UInt8] =
            [0x48, 0x01, 0x51] + [UInt8](repeating: 0, count: 8) + [0x5D, 0, 0, 0, 0]
            + [0x1A, 0x09, 0x2A, 0x02, 0x0A, 0x00, 0x1A, 0x03, 0x0A, 0x01, 0x74]
        #expect(try GossipsubCodec.decode(bytes) == GossipsubRPC(control: .init(graft: [.init(topic: "t")])))
    }

    @Test func malformedInputIsRefused() {
        #expect(throws: GossipsubCodec.DecodingError.truncated) { try GossipsubCodec.decode([0x0A, 0x05, 0x08]) }
        #expect(throws: GossipsubCodec.DecodingError.wrongWireType(field: 2, wireType: 0)) {
            try GossipsubCodec.decode([0x10, 0x01])
        }
        #expect(throws: GossipsubCodec.DecodingError.unsupportedWireType(3)) { try GossipsubCodec.decode([0x0B]) }
        #expect(throws: GossipsubCodec.DecodingError.invalidUTF8) {
            try GossipsubCodec.decode([0x0A, 0x03, 0x12, 0x01, 0xFF])
        }
        #expect(throws: GossipsubCodec.DecodingError.truncated) {
            try GossipsubCodec.decode([0x0A] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
        }
    }

    @Test func sizeLimitIsEnforcedBeforeDecoding() {
        let big = GossipsubCodec.encode(GossipsubRPC(publish: [.init(data: [UInt8](repeating: 1, count: 2000))]))
        #expect(throws: GossipsubCodec.DecodingError.tooLarge(big.count, limit: 1000)) {
            try GossipsubCodec.decode(big, maxSize: 1000)
        }
    }

    @Test func framesAreSplitAndOversizeLengthsRefusedUnread() throws {
        let first = GossipsubCodec.frame(GossipsubRPC(subscriptions: [.init(subscribe: true, topic: "a")]))
        let second = GossipsubCodec.frame(Self.sample)
        var decoder = FrameDecoder(maxFrameSize: 1 << 20)
        let stream = first + second
        // Fed one byte at a time, the frames still come out whole and in order.
        var frames: [[UInt8]] = []
        for byte in stream {
            decoder.append([byte])
            while let frame = try decoder.next() { frames.append(frame) }
        }
        #expect(
            frames == [
                Array(first.dropFirst()), Array(second.dropFirst(Varint.encode(UInt64(second.count - 2)).count)),
            ])
        #expect(decoder.buffered == 0)

        let small = { () -> FrameDecoder in
            var decoder = FrameDecoder(maxFrameSize: 100)
            decoder.append(Varint.encode(1 << 30))
            return decoder
        }()
        #expect(throws: FrameDecoder.Failure.tooLarge(1 << 30, limit: 100)) {
            var decoder = small
            _ = try decoder.next()
        }
        let garbage = { () -> FrameDecoder in
            var decoder = FrameDecoder(maxFrameSize: 100)
            decoder.append([UInt8](repeating: 0xFF, count: 12))
            return decoder
        }()
        #expect(throws: FrameDecoder.Failure.invalidLength) {
            var decoder = garbage
            _ = try decoder.next()
        }
    }

    @Test func largeRPCsAreSentAsSeveralFrames() throws {
        let message = GossipsubRPC.Message(data: [UInt8](repeating: 2, count: 600))
        let rpc = GossipsubRPC(
            subscriptions: [.init(subscribe: true, topic: "t")], publish: [message, message])
        let frames = Gossipsub.frames(rpc, limit: 1000)
        #expect(frames.count == 3)
        #expect(frames.allSatisfy { $0.count <= 1000 })
        #expect(Gossipsub.frames(GossipsubRPC(subscriptions: rpc.subscriptions), limit: 1000).count == 1)
        #expect(Gossipsub.frames(GossipsubRPC(), limit: 1000).isEmpty)
    }
}
