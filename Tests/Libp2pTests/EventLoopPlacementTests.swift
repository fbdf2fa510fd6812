import Libp2pCrypto
import Multiformats
import NIOCore
import NIOEmbedded
import Testing

@testable import Libp2p

/// Where a connection's work runs, and what its dialler sends before the peer answers: each thread switch and
/// each round trip is latency on every dial (Benchmarks/RESULTS.md, "libp2p transport").
@Suite struct EventLoopPlacementTests {
    static let placement = "/nunet-test/placement/1.0.0"
    static let pooled = "/nunet-test/pooled/1.0.0"

    /// Answers "loop" when the handler runs on its connection's event loop, "pool" when it does not.
    static func servePlacement(on host: Libp2pHost) {
        let answer: Libp2pHost.StreamHandler = { stream in
            let place = stream.connection.eventLoop.inEventLoop ? "loop" : "pool"
            try? await stream.write(Array(place.utf8))
            stream.closeWrite()
        }
        host.handle(placement, onEventLoop: true, answer)
        host.handle(pooled, answer)
    }

    @Test func anExchangeOnTheEventLoopDialsOnItsLoopAndHandlersRunWhereTheyAsked() async throws {
        let (listener, address) = try await HostFixtures.listening()
        Self.servePlacement(on: listener)
        let dialer = Libp2pHost(identity: PrivateKey())
        let (dialledOnItsLoop, answers) = try await dialer.onEventLoop {
            // Several connections, so that a dial landing on the group's next loop by chance would show.
            var connections: [Libp2pConnection] = []
            for _ in 0..<4 { connections.append(try await dialer.connect(address)) }
            var answers: [String] = []
            for protocolID in [Self.placement, Self.pooled] {
                let stream = try await dialer.newStream(on: connections[0], protocols: [protocolID])
                answers.append(String(decoding: try await stream.readAll(limit: 16), as: UTF8.self))
            }
            return (connections.map { $0.channel.eventLoop.inEventLoop }, answers)
        }
        #expect(dialledOnItsLoop == [true, true, true, true], "a connection was made on another loop")
        #expect(answers == ["loop", "pool"])
        await dialer.close()
        await listener.close()
    }

    @Test func theDiallerSendsNoiseMessageOneWithItsProposal() throws {
        let channel = EmbeddedChannel()
        _ = try ConnectionLifetimeTests.attach(to: channel, initiator: true)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 4001)).wait()
        let written = try Self.flushed(channel)
        let proposal = Multistream.encode(Multistream.header) + Multistream.encode(Noise.protocolID)
        // Message 1 is the 32-byte ephemeral key behind a two-byte length, sent before any answer.
        #expect(Array(written.prefix(proposal.count)) == proposal)
        #expect(Array(written.dropFirst(proposal.count)).prefix(2) == [0, 32])
        #expect(written.count == proposal.count + 2 + 32)
        _ = try? channel.finish()
    }

    /// The writes the handler has made to the channel so far, one array each.
    static func writes(_ channel: EmbeddedChannel) throws -> [[UInt8]] {
        var writes: [[UInt8]] = []
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
            writes.append(buffer.readBytes(length: buffer.readableBytes) ?? [])
        }
        return writes
    }

    /// Everything the handler has written to the channel so far.
    static func flushed(_ channel: EmbeddedChannel) throws -> [UInt8] { try writes(channel).flatMap { $0 } }

    @Test func theListenerAnswersAProposalWithItsHeaderInOneWrite() throws {
        let channel = EmbeddedChannel()
        _ = try ConnectionLifetimeTests.attach(to: channel)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 4001)).wait()
        #expect(try Self.flushed(channel).isEmpty, "the header went out alone")
        var dialler = NoiseHandshake(role: .initiator, identity: PrivateKey())
        let proposal = Multistream.encode(Multistream.header) + Multistream.encode(Noise.protocolID)
        try channel.writeInbound(
            channel.allocator.buffer(bytes: proposal + (try NoiseFraming.frame(try dialler.initiatorMessage1()))))
        let answer = try Self.flushed(channel)
        // Header, echo and Noise message 2 together.
        #expect(Array(answer.prefix(proposal.count)) == proposal)
        #expect(answer.count > proposal.count + 2 + 32)
        _ = try? channel.finish()
    }

    @Test func aDiallerWaitingForTheHeaderGetsIt() throws {
        let channel = EmbeddedChannel()
        _ = try ConnectionLifetimeTests.attach(to: channel)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 4001)).wait()
        channel.embeddedEventLoop.run()
        #expect(try Self.flushed(channel) == Multistream.encode(Multistream.header))
        _ = try? channel.finish()
    }

    @Test func anAnswerMadeOnTheLoopLeavesWithTheStreamsProtocolEcho() throws {
        let channel = EmbeddedChannel()
        let loop = EventLoopTaskExecutor(channel.eventLoop)
        _ = try ConnectionLifetimeTests.attach(
            to: channel, supported: { $0 == "/echo" },
            onInboundStream: { stream in
                Task(executorPreference: loop) {
                    if let bytes = try? await stream.read() { try? await stream.write(bytes) }
                }
            })
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 4001)).wait()

        // The handshake, as a dialler.
        var dialler = NoiseHandshake(role: .initiator, identity: PrivateKey(), muxers: [YamuxFrame.protocolID])
        let proposal = Multistream.encode(Multistream.header) + Multistream.encode(Noise.protocolID)
        try channel.writeInbound(
            channel.allocator.buffer(bytes: proposal + (try NoiseFraming.frame(try dialler.initiatorMessage1()))))
        var answer = Array(try Self.flushed(channel).dropFirst(proposal.count))
        let message2 = try #require(NoiseFraming.next(&answer))
        let (message3, outcome) = try dialler.initiatorMessage3(after: message2)
        try channel.writeInbound(channel.allocator.buffer(bytes: try NoiseFraming.frame(message3)))
        var transport = outcome.transport

        // A stream proposing /echo with its first bytes, as an optimistic opener sends it.
        let opening = Multistream.encode(Multistream.header) + Multistream.encode("/echo") + Array("hello".utf8)
        var frame: [UInt8] = []
        YamuxFrame(.data, flags: .syn, streamID: 1, length: UInt32(opening.count)).encode(into: &frame)
        try channel.writeInbound(channel.allocator.buffer(bytes: try transport.seal(frame + opening)))
        channel.embeddedEventLoop.run()

        let writes = try Self.writes(channel)
        #expect(writes.count == 1, "the echo and the answer left in \(writes.count) writes")
        var sealed = writes.joined().map { $0 }
        let plaintext = try transport.open(&sealed)
        #expect(plaintext.count > 12 && plaintext.suffix(5) == Array("hello".utf8), "\(plaintext)")
        _ = try? channel.finish()
    }
}
