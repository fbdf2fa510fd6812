import DMSActor
import DMSCore
import DMSCrypto
import Testing

@Suite struct EnvelopeWireTests {
    @Test(arguments: GoEnvelopeVectors.envelopes.map(\.name))
    func envelopesRoundTripGosBytesAndSignatures(name: String) throws {
        let vector = try #require(GoEnvelopeVectors.envelopes.first { $0.name == name })
        let envelope = try Envelope(decoding: Array(vector.envelope.utf8))
        #expect(envelope.json == vector.envelope)
        #expect(String(decoding: envelope.signingData, as: UTF8.self) == vector.signingData)
        let key = try PrivateKey(seed: GoEnvelopeVectors.seeds[vector.signer])
        #expect(key.sign(envelope.signingData) == envelope.signature)
        #expect(envelope.from.id == key.publicKey.protobufBytes)
        try ActorSecurity.verify(envelope, now: 0)
    }

    @Test func aBroadcastHasAnEmptyDestinationAndATopic() throws {
        let vector = try #require(GoEnvelopeVectors.envelopes.first { $0.name == "broadcast to an empty handle" })
        let envelope = try Envelope(decoding: Array(vector.envelope.utf8))
        #expect(envelope.isBroadcast)
        #expect(envelope.to.isEmpty)
        #expect(envelope.message == [])
        let nilMessage = try #require(GoEnvelopeVectors.envelopes.first { $0.name == "nil message and html escaping" })
        #expect(try Envelope(decoding: Array(nilMessage.envelope.utf8)).message == nil)
    }

    @Test func anyChangeToASignedEnvelopeBreaksTheSignature() throws {
        let vector = try #require(GoEnvelopeVectors.envelopes.first)
        var envelope = try Envelope(decoding: Array(vector.envelope.utf8))
        envelope.message = json(#"{"Host":"y"}"#)
        #expect(throws: ActorError.badSignature) { try ActorSecurity.verify(envelope, now: 0) }
        var expired = try Envelope(decoding: Array(vector.envelope.utf8))
        expired.options.expiry = 10
        #expect(throws: ActorError.expired) { try ActorSecurity.verify(expired, now: 11) }
    }

    @Test func malformedEnvelopesNameTheField() {
        for (input, reason) in [
            ("{", "not valid JSON"), (#"{"to":{"id":{"pub":"!!"}}}"#, "\"id\" must be {\"pub\""),
            (#"{"nonce":"x"}"#, "\"nonce\" must be a number"), (#"{"msg":"***"}"#, "\"msg\" is not base64"),
            (#"{"opt":{"exp":-5}}"#, "\"opt.exp\" must be an unsigned integer"),
        ] {
            let error = #expect(throws: ActorError.self) { try Envelope(decoding: Array(input.utf8)) }
            #expect(error?.description.contains(reason) == true, "\(input): \(String(describing: error))")
        }
    }
}

@Suite struct HandleTests {
    @Test func emptyHandlesAndTheirEncoding() {
        #expect(ActorHandle.empty.isEmpty)
        #expect(String(decoding: ActorHandle.empty.encoding, as: UTF8.self) == #"{"id":{"pub":""},"did":{},"addr":{}}"#)
        let key = PrivateKey().publicKey
        #expect(!ActorHandle(key: key, did: .empty, address: ActorAddress()).isEmpty)
    }

    @Test func handlesPrintAsIDThenDIDThenAddress() throws {
        let key = PrivateKey().publicKey
        let did = DID(publicKey: PrivateKey().publicKey)
        let handle = ActorHandle(key: key, did: did, address: ActorAddress(host: "12D3KooWhost", inbox: "box"))
        #expect(handle.description == "\(DID(publicKey: key))[\(did)]@12D3KooWhost:box")
        #expect(
            ActorHandle(key: key, did: did, address: ActorAddress(host: "host", inbox: "")).description.hasSuffix(
                "@host:"))
        #expect(
            ActorHandle(key: key, did: did, address: ActorAddress(host: "", inbox: "box")).description.hasSuffix(
                "@:box"))
    }

    @Test func equalityIncludesTheInbox() {
        let key = PrivateKey().publicKey
        let did = DID(publicKey: key)
        let a = ActorHandle(key: key, did: did, address: ActorAddress(host: "h", inbox: "a"))
        var b = a
        #expect(a == b)
        b.address.inbox = "b"
        #expect(a != b)
    }

    /// A go-libp2p RSA-2048 PublicKey protobuf (Tests/Libp2pCryptoTests/Vectors/peer_keys.json).
    static let rsaPeerKey: [UInt8] = {
        let hex = Array(
            [
                "080012a60230820122300d06092a864886f70d01010105000382010f003082010a02820101009e86311113e4c738dd631360",
                "6c222a928a94eccb058ba4d3b439a3d41f626ef38494656c61ccdb739ad8259539cf727f38cfb2ee1c275632d9a1f95adb88",
                "d84c3ab501c759f93f95f9f635e2b4d4b231beae921fbd6e3306e7a080b6d2abe77c1b1e6caa4bc23cc9974ef63cbc4a7c03",
                "23b46ad0ab7336d6ba34969c49d08d8876e5c0a382901175df5047be39bc01c78456175912633aaa47a96e3b53d39a579bd6",
                "fbfb656e04c798a3cb6c2fbd0e9dce7556af9657bdeebcf346bdf86e9ef5a0ad8de8c0558e149df8b48039d7b75e7d1cca24",
                "ef1d0c42b68bca9cb72d434d8a862c7b905a3be1539618da82756252c8ac29a3a678312233e8688617485ec30203010001",
            ].joined())
        return stride(from: 0, to: hex.count, by: 2).map { UInt8(String(hex[$0..<$0 + 2]), radix: 16)! }
    }()

    /// Peers may have RSA or ECDSA keys, actors may not: a sender ID holding one is refused, never trapped on.
    @Test func aSenderIDHoldingAnRSAKeyIsRefused() throws {
        let vector = try #require(GoEnvelopeVectors.envelopes.first)
        var envelope = try Envelope(decoding: Array(vector.envelope.utf8))
        envelope.from = ActorHandle(id: Self.rsaPeerKey, did: envelope.from.did, address: envelope.from.address)
        let refusal = CryptoError.unsupportedKeyType(
            "an actor ID must be an Ed25519, secp256k1 or Ethereum key, got RSA")
        #expect(throws: refusal) { try envelope.from.publicKey() }
        #expect(throws: CryptoError.self) { try envelope.from.keyDID() }
        #expect(throws: ActorError.badSender("the sender ID is not a valid key")) {
            try ActorSecurity.verify(envelope, now: 0)
        }
    }

    @Test func rootHandlesFromPeerIDsAndDIDsRoundTrip() throws {
        let key = PrivateKey().publicKey
        let peer = PeerID(publicKey: key)
        let fromPeer = try ActorHandle.root(peerID: peer)
        let fromDID = try ActorHandle.root(did: DID(publicKey: key))
        #expect(fromPeer == fromDID)
        #expect(fromPeer.address == ActorAddress(host: peer.description, inbox: "root"))
        #expect(try fromPeer.publicKey() == key)
        #expect(throws: CryptoError.self) { try ActorHandle.root(did: DID("did:key:zGarbage")) }
        #expect(throws: CryptoError.self) { try ActorHandle.root(peerID: PeerID("12D3KooWGarbage")) }
    }
}
