import Libp2pCrypto
import Multiformats
import Testing

@testable import Libp2p

/// Strict message signing: the exact bytes go and python sign, and every refusal.
@Suite struct GossipsubSigningTests {
    static let seed = Array(1...32 as ClosedRange<UInt8>)

    /// Produced independently with Python `cryptography` (Ed25519 of "libp2p-pubsub:" ‖ the message fields
    /// 1-4 encoded by hand), for the key with seed 01…20, data "hello", seqno 1, topic "/nunet/hello".
    static let vectorMessage = hex(
        "0a2600240801122079b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664120568656c6c6f1a08"
            + "0000000000000001220c2f6e756e65742f68656c6c6f")
    static let vectorSignature = hex(
        "3d684989ec54b8af4bf1c215e4a9ad102416a1c18f3ae881eb3b392aaca6393378ad9c2fdb50cc31312e04794b2bb5050b"
            + "7847e198ede26320170b025b995104")

    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    func signed(_ key: PrivateKey = PrivateKey(), data: [UInt8] = Array("hi".utf8)) -> GossipsubRPC.Message {
        GossipsubSigning.signedMessage(topic: "t", data: data, seqno: 42, key: key)
    }

    @Test func matchesAnIndependentImplementation() throws {
        let key = try PrivateKey(seed: Self.seed)
        let message = GossipsubSigning.signedMessage(
            topic: "/nunet/hello", data: Array("hello".utf8), seqno: 1, key: key)
        #expect(
            GossipsubCodec.encode(
                GossipsubRPC.Message(
                    from: message.from, data: message.data, seqno: message.seqno, topics: message.topics))
                == Self.vectorMessage)
        #expect(message.signature == Self.vectorSignature)
        #expect(message.key == nil, "an Ed25519 peer ID inlines its key, so none is sent")
        #expect(try GossipsubSigning.verify(message) == PeerID(publicKey: key.publicKey))
        #expect(GossipsubSigning.messageID(message) == message.from! + [0, 0, 0, 0, 0, 0, 0, 1])
    }

    @Test func validMessagesVerify() throws {
        let key = PrivateKey()
        var message = signed(key)
        #expect(try GossipsubSigning.verify(message) == PeerID(publicKey: key.publicKey))
        // A key that is sent although the peer ID inlines it is accepted when it is the author's.
        message.key = key.publicKey.protobufBytes
        #expect(try GossipsubSigning.verify(message) == PeerID(publicKey: key.publicKey))
    }

    @Test func tamperingIsDetected() {
        var data = signed()
        data.data = Array("ho".utf8)
        #expect(throws: GossipsubSigning.Failure.invalidSignature) { try GossipsubSigning.verify(data) }
        var topic = signed()
        topic.topics = ["other"]
        #expect(throws: GossipsubSigning.Failure.invalidSignature) { try GossipsubSigning.verify(topic) }
        var seqno = signed()
        seqno.seqno = GossipsubSigning.seqnoBytes(43)
        #expect(throws: GossipsubSigning.Failure.invalidSignature) { try GossipsubSigning.verify(seqno) }
    }

    @Test func wrongKeysAreRefused() {
        // Signed by someone else but claiming another author.
        var impostor = signed(PrivateKey())
        impostor.from = PeerID(publicKey: PrivateKey().publicKey).bytes
        #expect(throws: GossipsubSigning.Failure.invalidSignature) { try GossipsubSigning.verify(impostor) }
        // A key that is not the author's.
        var mismatched = signed()
        mismatched.key = PrivateKey().publicKey.protobufBytes
        #expect(throws: GossipsubSigning.Failure.keyDoesNotMatchFrom) { try GossipsubSigning.verify(mismatched) }
        var garbageKey = signed()
        garbageKey.key = [1, 2, 3]
        #expect(throws: GossipsubSigning.Failure.invalidKey) { try GossipsubSigning.verify(garbageKey) }
        // A SHA-256 peer ID does not carry its key, so the key must travel with the message.
        var hashed = signed()
        hashed.from = Multihash(code: .sha256, digest: [UInt8](repeating: 7, count: 32)).bytes
        #expect(throws: GossipsubSigning.Failure.missingKey) { try GossipsubSigning.verify(hashed) }
    }

    /// RSA and ECDSA authors have SHA-256 peer IDs, so their key travels in the message and must be theirs.
    @Test(arguments: [KeyType.rsa, .ecdsa])
    func authorsWithHashedPeerIDsAreVerifiedByTheKeyTheySend(_ type: KeyType) throws {
        let (author, _) = try PeerKeyFixtures.signer(type)
        var message = GossipsubRPC.Message(
            from: author.peerID.bytes, data: Array("hi".utf8), seqno: GossipsubSigning.seqnoBytes(7), topics: ["t"])
        message.signature = try author.sign(GossipsubSigning.signedBytes(message))
        message.key = author.publicKey.protobufBytes
        #expect(try GossipsubSigning.verify(message) == author.peerID)

        var keyless = message
        keyless.key = nil
        #expect(throws: GossipsubSigning.Failure.missingKey) { try GossipsubSigning.verify(keyless) }
        var tampered = message
        tampered.data = Array("ho".utf8)
        #expect(throws: GossipsubSigning.Failure.invalidSignature) { try GossipsubSigning.verify(tampered) }
        var otherAuthor = message
        otherAuthor.from = PeerID(publicKey: PrivateKey().publicKey).bytes
        #expect(throws: GossipsubSigning.Failure.keyDoesNotMatchFrom) { try GossipsubSigning.verify(otherAuthor) }
    }

    @Test func missingFieldsAreRefused() {
        var noFrom = signed()
        noFrom.from = nil
        #expect(throws: GossipsubSigning.Failure.missingFrom) { try GossipsubSigning.verify(noFrom) }
        var badFrom = signed()
        badFrom.from = [0xFF]
        #expect(throws: GossipsubSigning.Failure.invalidFrom) { try GossipsubSigning.verify(badFrom) }
        var noSeqno = signed()
        noSeqno.seqno = nil
        #expect(throws: GossipsubSigning.Failure.missingSeqno) { try GossipsubSigning.verify(noSeqno) }
        var shortSeqno = signed()
        shortSeqno.seqno = [1]
        #expect(throws: GossipsubSigning.Failure.missingSeqno) { try GossipsubSigning.verify(shortSeqno) }
        var noSignature = signed()
        noSignature.signature = nil
        #expect(throws: GossipsubSigning.Failure.missingSignature) { try GossipsubSigning.verify(noSignature) }
    }

    @Test func seenCacheForgetsAfterItsTTL() {
        let start = ContinuousClock.now
        var seen = SeenCache(ttl: .seconds(120))
        let first = seen.insert([1], now: start)
        let again = seen.insert([1], now: start + .seconds(60))
        #expect(first && !again)
        seen.sweep(now: start + .seconds(121))
        #expect(!seen.contains([1]))
        let afterExpiry = seen.insert([1], now: start + .seconds(121))
        #expect(afterExpiry)
        #expect(seen.count == 1)
    }
}
