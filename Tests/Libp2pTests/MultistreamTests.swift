import Libp2p
import Testing

@Suite struct MultistreamTests {
    @Test func messagesAreLengthPrefixedLines() throws {
        #expect(Multistream.encode("na") == [0x03, 0x6E, 0x61, 0x0A])
        let header = Multistream.encode(Multistream.header)
        #expect(header == [0x13] + Array("/multistream/1.0.0\n".utf8))
        #expect(try Multistream.decode(header[...])! == ("/multistream/1.0.0", 20))
        #expect(try Multistream.decode(header.dropLast()[...]) == nil, "incomplete")
        #expect(try Multistream.decode([][...]) == nil)
    }

    @Test(
        arguments: [
            ([0x03, 0x6E, 0x61, 0x20], "does not end with a newline"),
            ([0x00], "empty message"),
            ([0x80, 0x40], "too long"),
            ([0x03, 0xFF, 0xFE, 0x0A], "not UTF-8"),
            ([0x80, 0x00], "bad length prefix"),
        ] as [([UInt8], String)])
    func malformedMessagesAreRefused(bytes: [UInt8], reason: String) {
        #expect {
            try Multistream.decode(bytes[...])
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    /// The Go DMS dialer proposes TLS first; the responder refuses it and agrees on Noise, and bytes the
    /// dialer sent optimistically after its proposal are handed to the agreed protocol.
    @Test func theInitiatorFallsBackAndTheResponderKeepsOptimisticData() throws {
        var initiator = MultistreamInitiator(proposals: ["/tls/1.0.0", "/noise"])
        var responder = MultistreamResponder(protocols: ["/noise", "/yamux/1.0.0"])
        var toResponder = initiator.start()
        var toInitiator = responder.start()

        var answer = try responder.receive(toResponder)
        #expect(answer.agreed == nil)
        toInitiator += answer.send
        var step = try initiator.receive(toInitiator)
        #expect(step.agreed == nil)
        toResponder = step.send + [1, 2, 3]  // "/noise" and the first handshake bytes in one write
        #expect(try Multistream.decode(step.send[...])?.text == "/noise")

        answer = try responder.receive(toResponder)
        #expect(answer.agreed?.protocolID == "/noise")
        #expect(answer.agreed?.leftover == [1, 2, 3])
        step = try initiator.receive(answer.send + [9])
        #expect(step.agreed?.protocolID == "/noise")
        #expect(step.agreed?.leftover == [9])
    }

    @Test func byteAtATimeDeliveryNegotiatesTheSame() throws {
        var initiator = MultistreamInitiator(proposals: ["/yamux/1.0.0"])
        var responder = MultistreamResponder(protocols: ["/yamux/1.0.0"])
        var agreed: String?
        for byte in initiator.start() {
            let answer = try responder.receive([byte])
            if let done = answer.agreed { agreed = done.protocolID }
        }
        #expect(agreed == "/yamux/1.0.0")
    }

    @Test func refusalsAndListing() throws {
        var initiator = MultistreamInitiator(proposals: ["/a", "/b"])
        var responder = MultistreamResponder(protocols: ["/c", "/d"])
        _ = initiator.start()
        let refusal = responder.start() + Multistream.encode("na")
        let second = try initiator.receive(refusal)
        #expect(try Multistream.decode(second.send[...])?.text == "/b")
        #expect(throws: MultistreamError.notSupported(["/a", "/b"])) { try initiator.receive(Multistream.encode("na")) }

        let list = try responder.receive(Multistream.encode(Multistream.header) + Multistream.encode("ls"))
        #expect(list.send == [8] + Multistream.encode("/c") + Multistream.encode("/d"))
        #expect(throws: MultistreamError.unexpectedHeader("/multistream/2.0.0")) {
            var other = MultistreamResponder(protocols: [])
            _ = try other.receive(Multistream.encode("/multistream/2.0.0"))
        }
    }

    @Test func aRefusalGoesOutBeforeAFailureInTheSameBytes() throws {
        // An optimistic opener's data follows its proposal; the `na` must reach it before the stream ends.
        var responder = MultistreamResponder(protocols: ["/x"])
        let step = try responder.receive(
            Multistream.encode(Multistream.header) + Multistream.encode("/y") + [0x00, 0x01])
        #expect(step.send == Multistream.encode(Multistream.notAvailable))
        #expect(responder.failure == .malformed("empty message"))
        #expect(throws: MultistreamError.malformed("empty message")) { try responder.receive([]) }
    }

    @Test func aPeerThatKeepsProposingIsCutOff() throws {
        var responder = MultistreamResponder(protocols: ["/x"])
        _ = try responder.receive(Multistream.encode(Multistream.header))
        #expect(throws: MultistreamError.self) {
            for index in 0...MultistreamResponder.maxRefusals {
                _ = try responder.receive(Multistream.encode("/p\(index)"))
            }
        }
    }
}
