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
