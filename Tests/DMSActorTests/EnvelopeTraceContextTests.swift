import DMSActor
import DMSCapabilities
import DMSCore
import DMSCrypto
import Testing

/// The trace context rides in `opt.traceparent` outside the signature, so a Go node (which ignores the member
/// and verifies its own re-encoding) and a Swift node (which verifies the bytes received) agree on the signature.
@Suite struct EnvelopeTraceContextTests {
    static let traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test func aGoEnvelopeWithATraceContextAddedStillVerifiesOverTheBytesGoSigns() throws {
        let vector = try #require(GoEnvelopeVectors.envelopes.first { !$0.envelope.contains(#""topic""#) })
        let wire = vector.envelope
        // Inserted after the options' last member, as a Swift sender writes it.
        let closing = try #require(wire.range(of: "},\"msg\""))
        let traced = wire.replacingCharacters(
            in: closing, with: #","traceparent":"\#(Self.traceParent)"},"msg""#)
        let envelope = try Envelope(decoding: Array(traced.utf8))
        #expect(envelope.options.traceParent == Self.traceParent)
        #expect(String(decoding: envelope.signingData, as: UTF8.self) == vector.signingData)
        try ActorSecurity.verify(envelope, now: 0)
    }

    @Test func aSwiftSenderSignsWithoutTheTraceContextAndSendsItInTheOptions() throws {
        let key = PrivateKey()
        let context = CapabilityContext(name: "n", did: DID(publicKey: key.publicKey), signer: key)
        // To itself, so no tokens are needed: only the signature matters here.
        let handle = ActorHandle(key: key.publicKey, did: context.did, address: ActorAddress(host: "h", inbox: "root"))
        var envelope = Envelope(
            to: handle, behavior: "/public/hello", from: handle,
            options: EnvelopeOptions(expiry: 1_000, replyTo: "/dms/actor/replyto/1", traceParent: Self.traceParent))
        let security = ActorSecurity(key: key, capabilities: context)
        let wire = try security.prepare(&envelope)
        let text = String(decoding: wire, as: UTF8.self)
        #expect(text.contains(#""cont":"/dms/actor/replyto/1","traceparent":"\#(Self.traceParent)"}"#), "\(text)")
        #expect(!String(decoding: envelope.signingData, as: UTF8.self).contains("traceparent"))

        let received = try Envelope(decoding: wire)
        #expect(received.options.traceParent == Self.traceParent)
        try ActorSecurity.verify(received, now: 0)
        // Without the member, as a Go node re-encodes it: the same signed bytes.
        var stripped = received
        stripped.options.traceParent = nil
        #expect(stripped.signingData == received.signingData)
    }

    @Test func anEnvelopeWithoutATraceContextIsByteForByteWhatItWas() throws {
        for vector in GoEnvelopeVectors.envelopes {
            let envelope = try Envelope(decoding: Array(vector.envelope.utf8))
            #expect(envelope.options.traceParent == nil)
            #expect(envelope.json == vector.envelope)
        }
    }
}
