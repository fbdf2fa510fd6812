import Libp2p
import Testing

@Suite struct YamuxTests {
    /// Moves everything each side has to send to the other, until both are quiet.
    func exchange(_ client: inout YamuxSession, _ server: inout YamuxSession) throws -> (
        client: [YamuxSession.Event], server: [YamuxSession.Event]
    ) {
        var clientEvents: [YamuxSession.Event] = []
        var serverEvents: [YamuxSession.Event] = []
        while client.hasOutput || server.hasOutput {
            serverEvents += try server.receive(client.takeOutput())
            clientEvents += try client.receive(server.takeOutput())
        }
        return (clientEvents, serverEvents)
    }

    func data(_ events: [YamuxSession.Event], on id: UInt32) -> [UInt8] {
        events.flatMap { event -> [UInt8] in
            if case .data(id, let bytes) = event { return bytes }
            return []
        }
    }

    @Test func headersAreTwelveBigEndianBytes() throws {
        var bytes: [UInt8] = []
        YamuxFrame(.windowUpdate, flags: [.syn, .fin], streamID: 0x0102_0304, length: 0x0506_0708).encode(into: &bytes)
        #expect(bytes == [0, 1, 0, 5, 1, 2, 3, 4, 5, 6, 7, 8])
        #expect(
            try YamuxFrame.decode(bytes, at: 0)
                == YamuxFrame(.windowUpdate, flags: [.syn, .fin], streamID: 0x0102_0304, length: 0x0506_0708))
        #expect(try YamuxFrame.decode(Array(bytes.prefix(11)), at: 0) == nil)
        #expect(throws: YamuxError.self) { try YamuxFrame.decode([1] + bytes.dropFirst(), at: 0) }
        #expect(throws: YamuxError.self) { try YamuxFrame.decode([0, 9] + bytes.dropFirst(2), at: 0) }
    }

    @Test func aStreamOpensCarriesDataBothWaysAndClosesOnBothFINs() throws {
        var client = YamuxSession(side: .client)
        var server = YamuxSession(side: .server)
        let id = try client.openStream()
        #expect(id == 1)
        _ = try client.send(Array("hello".utf8), on: id)
        client.closeWrite(id)
        var (clientEvents, serverEvents) = try exchange(&client, &server)
        #expect(serverEvents == [.inboundStream(1), .data(1, Array("hello".utf8)), .remoteClosed(1)])
        #expect(clientEvents == [.acknowledged(1)])
        #expect(server.openStreams == 1 && client.openStreams == 1)

        _ = try server.send(Array("world".utf8), on: id)
        server.closeWrite(id)
        (clientEvents, serverEvents) = try exchange(&client, &server)
        #expect(clientEvents == [.data(1, Array("world".utf8)), .remoteClosed(1)])
        #expect(server.openStreams == 0 && client.openStreams == 0)
        #expect(throws: YamuxError.streamClosed(1)) { try client.send([1], on: 1) }
        #expect(try server.openStream() == 2, "the listener uses even IDs")
    }

    @Test func flowControlStopsAtTheWindowAndResumesAsTheReaderConsumes() throws {
        var client = YamuxSession(side: .client)
        var server = YamuxSession(side: .server)
        let id = try client.openStream()
        let payload = [UInt8](repeating: 7, count: 1024 * 1024)
        var sent = try client.send(payload, on: id)
        #expect(sent == 256 * 1024, "the initial window")
        #expect(try client.send(payload, on: id) == 0)
        var (clientEvents, serverEvents) = try exchange(&client, &server)
        var received = data(serverEvents, on: id).count
        #expect(received == 256 * 1024)
        // Nothing comes back until the reader consumes, then the window is returned and grown.
        #expect(!clientEvents.contains(.sendWindowOpened(id)))
        var rounds = 0
        while sent < payload.count {
            server.consumed(received, on: id)
            (clientEvents, serverEvents) = try exchange(&client, &server)
            #expect(clientEvents.contains(.sendWindowOpened(id)))
            let more = try client.send(payload[sent...], on: id)
            sent += more
            (_, serverEvents) = try exchange(&client, &server)
            received = data(serverEvents, on: id).count
            #expect(received == more)
            rounds += 1
        }
        #expect(rounds < 4, "the window grows: 256 KiB, then 512 KiB, then the rest")
    }

    @Test func aPeerThatIgnoresTheWindowIsAProtocolError() throws {
        var server = YamuxSession(side: .server)
        var bytes: [UInt8] = []
        YamuxFrame(.data, flags: .syn, streamID: 1, length: 300 * 1024).encode(into: &bytes)
        #expect(throws: YamuxError.self) { try server.receive(bytes) }
    }

    @Test func byteAtATimeDeliveryYieldsTheSameStream() throws {
        var client = YamuxSession(side: .client)
        var server = YamuxSession(side: .server)
        let id = try client.openStream()
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }
        _ = try client.send(message, on: id)
        var events: [YamuxSession.Event] = []
        for byte in client.takeOutput() { events += try server.receive([byte]) }
        #expect(data(events, on: id) == message)
    }

    @Test func pingsAreAnsweredAndGoAwayIsReported() throws {
        var client = YamuxSession(side: .client)
        var server = YamuxSession(side: .server)
        let value = client.ping()
        var (clientEvents, _) = try exchange(&client, &server)
        #expect(clientEvents == [.pong(value)])
        server.goAway()
        (clientEvents, _) = try exchange(&client, &server)
        #expect(clientEvents == [.goAway(0)])
        #expect(throws: YamuxError.sessionClosed) { try server.openStream() }
    }

    @Test func limitsOnInboundStreamsAndPendingAcks() throws {
        var configuration = YamuxSession.Configuration()
        configuration.maxInboundStreams = 2
        configuration.maxPendingAcks = 3
        var client = YamuxSession(side: .client, configuration: configuration)
        var server = YamuxSession(side: .server, configuration: configuration)
        for _ in 0..<3 { _ = try client.openStream() }
        #expect(throws: YamuxError.tooManyPendingAcks(3)) { try client.openStream() }
        let (clientEvents, serverEvents) = try exchange(&client, &server)
        #expect(serverEvents == [.inboundStream(1), .inboundStream(3)])
        #expect(clientEvents == [.acknowledged(1), .acknowledged(3), .reset(5)])
        #expect(client.openStreams == 2)
    }

    @Test func resetsAndProtocolViolations() throws {
        var client = YamuxSession(side: .client)
        var server = YamuxSession(side: .server)
        let id = try client.openStream()
        _ = try exchange(&client, &server)
        server.reset(id)
        let (clientEvents, _) = try exchange(&client, &server)
        #expect(clientEvents == [.reset(id)])

        for frame in [
            YamuxFrame(.windowUpdate, flags: .syn, streamID: 2, length: 0),  // the server's own parity
            YamuxFrame(.data, streamID: 0, length: 0),
            YamuxFrame(.ping, flags: .syn, streamID: 3, length: 0),
        ] {
            var fresh = YamuxSession(side: .server)
            var bytes: [UInt8] = []
            frame.encode(into: &bytes)
            #expect(throws: YamuxError.self) { try fresh.receive(bytes) }
        }
    }
}
