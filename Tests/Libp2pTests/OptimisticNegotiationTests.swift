import Libp2pCrypto
import Multiformats
import Testing

@testable import Libp2p

/// Streams opened with one protocol are negotiated lazily: the proposal goes out with the first bytes and
/// the echo is checked when it arrives.
@Suite struct OptimisticNegotiationTests {
    static let header = Multistream.encode(Multistream.header)

    @Test func theEchoIsConsumedAndWhatFollowsIsTheProtocols() throws {
        var negotiation = OptimisticNegotiation(protocolID: "/a/1.0.0")
        #expect(negotiation.start() == Self.header + Multistream.encode("/a/1.0.0"))
        let answer = Self.header + Multistream.encode("/a/1.0.0") + [1, 2, 3]
        #expect(try negotiation.receive(Array(answer.prefix(5))) == nil, "the header is not complete")
        #expect(try negotiation.receive(Array(answer.dropFirst(5).dropLast(3))) == [])
        var whole = OptimisticNegotiation(protocolID: "/a/1.0.0")
        _ = whole.start()
        #expect(try whole.receive(answer) == [1, 2, 3])
    }

    @Test func aRefusalNamesTheProtocol() {
        var negotiation = OptimisticNegotiation(protocolID: "/a/1.0.0")
        _ = negotiation.start()
        #expect(throws: Libp2pError.protocolNotSupported(["/a/1.0.0"])) {
            try negotiation.receive(Self.header + Multistream.encode(Multistream.notAvailable))
        }
        var other = OptimisticNegotiation(protocolID: "/a/1.0.0")
        _ = other.start()
        #expect(throws: Libp2pError.malformed("multistream-select: unexpected answer \"/b\" to \"/a/1.0.0\"")) {
            try other.receive(Self.header + Multistream.encode("/b"))
        }
    }

    @Test func newStreamReturnsAtOnceAndItsFirstBytesArrive() async throws {
        let (dialer, listener, address) = try await HostTests().pair()
        let connection = try await dialer.connect(address)
        let stream = try await dialer.newStream(on: connection, protocols: [HostFixtures.echo])
        #expect(stream.protocolID == HostFixtures.echo)
        // Written with the proposal, before the echo can have come back; the listener finds it after its
        // agreement and echoes it.
        try await stream.write(Array("early".utf8))
        stream.closeWrite()
        #expect(try await stream.readAll(limit: 64) == Array("early".utf8))
        await dialer.close()
        await listener.close()
    }

    @Test func aRefusedProposalFailsTheStreamAndSparesTheConnection() async throws {
        let (dialer, listener, address) = try await HostTests().pair()
        let connection = try await dialer.connect(address)
        let refused = try await dialer.newStream(on: connection, protocols: ["/nope/1.0.0"])
        // The write may go out before the refusal arrives; the read cannot miss it.
        await #expect(throws: Libp2pError.protocolNotSupported(["/nope/1.0.0"])) {
            try await refused.write(Array("ignored".utf8))
            _ = try await refused.read()
        }
        await #expect(throws: Libp2pError.streamReset, "the refusal is told once; the stream is gone") {
            try await refused.write([1])
        }
        #expect(connection.isOpen)
        let stream = try await dialer.newStream(on: connection, protocols: [HostFixtures.echo])
        try await stream.write([7])
        #expect(try await stream.read(exactly: 1) == [7])
        await dialer.close()
        await listener.close()
    }

    @Test func aRefusalArrivingBeforeAnyReadIsStillTold() async throws {
        let (dialer, listener, address) = try await HostTests().pair()
        let connection = try await dialer.connect(address)
        let refused = try await dialer.newStream(on: connection, protocols: ["/nope/1.0.0"])
        // A ping on the same connection comes back after the listener has answered the earlier proposal, so
        // the refusal has arrived before anyone reads or writes the stream.
        _ = try await dialer.ping(listener.peerID)
        await #expect(throws: Libp2pError.protocolNotSupported(["/nope/1.0.0"])) {
            _ = try await refused.read()
        }
        await dialer.close()
        await listener.close()
    }
}
