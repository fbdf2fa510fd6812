import Libp2p
import Libp2pCrypto
import Testing

@Suite struct NoiseTests {
    struct Pair {
        let dialer = PrivateKey()
        let listener = PrivateKey()
    }

    /// Runs the three messages through the length framing and returns both outcomes.
    func handshake(
        _ pair: Pair, expecting: PeerID? = nil, dialerMuxers: [String] = [], listenerMuxers: [String] = []
    ) throws -> (NoiseHandshake.Outcome, NoiseHandshake.Outcome) {
        var initiator = NoiseHandshake(
            role: .initiator, identity: pair.dialer,
            expectedPeer: expecting ?? PeerID(publicKey: pair.listener.publicKey),
            muxers: dialerMuxers)
        var responder = NoiseHandshake(role: .responder, identity: pair.listener, muxers: listenerMuxers)
        var wire = try NoiseFraming.frame(try initiator.initiatorMessage1())
        let message1 = try #require(NoiseFraming.next(&wire))
        #expect(message1.count == 32, "message 1 is the bare ephemeral key")
        let message2 = try responder.responderMessage2(after: message1)
        let (message3, dialerOutcome) = try initiator.initiatorMessage3(after: message2)
        let listenerOutcome = try responder.responderFinish(after: message3)
        return (dialerOutcome, listenerOutcome)
    }

    @Test func bothSidesLearnEachOthersPeerAndMuxers() throws {
        let pair = Pair()
        let (dialer, listener) = try handshake(
            pair, dialerMuxers: ["/yamux/1.0.0", "/mplex/6.7.0"], listenerMuxers: ["/yamux/1.0.0"])
        #expect(dialer.remotePeer == PeerID(publicKey: pair.listener.publicKey))
        #expect(listener.remotePeer == PeerID(publicKey: pair.dialer.publicKey))
        #expect(dialer.remoteMuxers == ["/yamux/1.0.0"])
        #expect(listener.remoteMuxers == ["/yamux/1.0.0", "/mplex/6.7.0"])
    }

    @Test func transportChunksAtTheNoiseLimitAndDecryptsAcrossPartialReads() throws {
        let (dialer, listener) = try handshake(Pair())
        let plaintext = (0..<(3 * Noise.maxPlaintextLength + 1000)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var sending = dialer.transport
        let wire = try sending.seal(plaintext)
        #expect(wire.count == plaintext.count + 4 * (2 + 16), "four frames, each with a length and a tag")
        #expect(Int(wire[0]) << 8 | Int(wire[1]) == Noise.maxMessageLength)
        var receiving = listener.transport
        var buffer: [UInt8] = []
        var received: [UInt8] = []
        for chunk in stride(from: 0, to: wire.count, by: 5000) {
            buffer += wire[chunk..<min(chunk + 5000, wire.count)]
            received += try receiving.open(&buffer)
        }
        #expect(received == plaintext)
        #expect(buffer.isEmpty)

        // And back, with an empty message in between.
        var back = listener.transport
        var forth = dialer.transport
        var reply = try back.seal([UInt8]()) + back.seal([1, 2, 3])
        #expect(try forth.open(&reply) == [1, 2, 3])
    }

    @Test func aTamperedFrameFailsAuthentication() throws {
        let (dialer, listener) = try handshake(Pair())
        var sending = dialer.transport
        var receiving = listener.transport
        var wire = try sending.seal(Array("hello".utf8))
        wire[4] ^= 1
        #expect(throws: NoiseError.decryptionFailed) { try receiving.open(&wire) }
    }

    @Test func aDialerRefusesAnUnexpectedPeer() throws {
        let pair = Pair()
        let someoneElse = PeerID(publicKey: PrivateKey().publicKey)
        #expect {
            _ = try handshake(pair, expecting: someoneElse)
        } throws: { error in
            if case NoiseError.peerMismatch(let expected, _) = error { return expected == someoneElse.description }
            return false
        }
    }

    @Test func tamperedHandshakeMessagesAreRefused() throws {
        let pair = Pair()
        var initiator = NoiseHandshake(role: .initiator, identity: pair.dialer)
        var responder = NoiseHandshake(role: .responder, identity: pair.listener)
        var message2 = try responder.responderMessage2(after: try initiator.initiatorMessage1())
        message2[message2.count - 1] ^= 0x80
        #expect(throws: NoiseError.decryptionFailed) { try initiator.initiatorMessage3(after: message2) }

        var shortInitiator = NoiseHandshake(role: .initiator, identity: pair.dialer)
        _ = try shortInitiator.initiatorMessage1()
        #expect(throws: NoiseError.self) { try shortInitiator.initiatorMessage3(after: [1, 2, 3]) }
        var shortResponder = NoiseHandshake(role: .responder, identity: pair.listener)
        #expect(throws: NoiseError.self) { try shortResponder.responderMessage2(after: [1]) }
    }

    @Test func framingRefusesOversizedMessagesAndWaitsForWholeFrames() throws {
        #expect(throws: NoiseError.frameTooLarge(70000)) { try NoiseFraming.frame([UInt8](repeating: 0, count: 70000)) }
        var buffer: [UInt8] = [0, 3, 1, 2]
        #expect(NoiseFraming.next(&buffer) == nil)
        buffer.append(3)
        #expect(NoiseFraming.next(&buffer) == [1, 2, 3])
        #expect(buffer.isEmpty)
    }
}
