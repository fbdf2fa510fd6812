import Libp2pCrypto
import Multiformats
import NunetTestSupport
import Testing

@testable import Libp2p

/// Two Swift hosts over real TCP on loopback.
@Suite struct HostTests {
    static let echo = HostFixtures.echo

    func pair() async throws -> (Libp2pHost, Libp2pHost, Multiaddr) {
        let (listener, address) = try await HostFixtures.listening()
        HostFixtures.serveEcho(on: listener)
        return (Libp2pHost(identity: PrivateKey()), listener, address)
    }

    @Test func dialPingAndIdentify() async throws {
        let (dialer, listener, address) = try await pair()
        let connection = try await dialer.connect(address)
        #expect(connection.remotePeer == listener.peerID)
        let rtt = try await dialer.ping(listener.peerID)
        #expect(rtt < .seconds(5))
        #expect(try await listener.ping(dialer.peerID) < .seconds(5), "pings go both ways on one connection")

        var record = dialer.peerStore.record(listener.peerID)
        for _ in 0..<200 where record?.agentVersion == nil {
            try await Task.sleep(for: .milliseconds(10))
            record = dialer.peerStore.record(listener.peerID)
        }
        #expect(record?.protocols.contains(Self.echo) == true)
        #expect(record?.protocols.contains(Ping.protocolID) == true)
        #expect(record?.agentVersion == "nunet/libp2p-swift")
        #expect(record?.observedAddress?.description.hasPrefix("/ip4/127.0.0.1/tcp/") == true)
        await dialer.close()
        await listener.close()
    }

    @Test func streamsAndBytesAreCountedByProtocolLabel() async throws {
        var configuration = Libp2pHost.Configuration()
        configuration.trafficLabel = { $0.hasPrefix("/nunet-test/echo/") ? "echo" : $0 }
        let (listener, address) = try await HostFixtures.listening(configuration)
        HostFixtures.serveEcho(on: listener)
        let dialer = Libp2pHost(identity: PrivateKey(), configuration: configuration)
        try await dialer.connect(address)
        for _ in 0..<2 {
            let stream = try await dialer.newStream(to: listener.peerID, protocols: [Self.echo])
            try await stream.write(Array(repeating: 7, count: 100))
            stream.closeWrite()
            #expect(try await stream.readAll(limit: 1024).count == 100)
        }
        let sent = dialer.traffic.snapshot["echo"]
        #expect(sent?.outboundStreams == 2)
        #expect(sent?.bytesSent == 200)
        #expect(sent?.bytesReceived == 200)
        // The listener counts its side once its handler has written the echo back.
        let served = await NunetProcess.eventually(timeout: 10) {
            listener.traffic.snapshot["echo"] == .init(inboundStreams: 2, bytesReceived: 200, bytesSent: 200)
        }
        #expect(served, "\(listener.traffic.snapshot)")
        await dialer.close()
        await listener.close()
    }

    @Test func fourMebibytesEchoAcrossWindowsAndNoiseFrames() async throws {
        let (dialer, listener, address) = try await pair()
        try await dialer.connect(address)
        let stream = try await dialer.newStream(to: listener.peerID, protocols: [Self.echo])
        #expect(stream.protocolID == Self.echo)
        let payload = (0..<(4 * 1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
        async let echoed = stream.readAll(limit: payload.count)
        try await stream.write(payload)
        stream.closeWrite()
        #expect(try await echoed == payload)
        await dialer.close()
        await listener.close()
    }

    @Test func aHundredConcurrentStreams() async throws {
        let (dialer, listener, address) = try await pair()
        try await dialer.connect(address)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<100 {
                group.addTask {
                    let stream = try await dialer.newStream(to: listener.peerID, protocols: [Self.echo])
                    let message = Array("stream \(index)".utf8)
                    try await stream.write(message)
                    stream.closeWrite()
                    return try await stream.readAll(limit: 1024) == message
                }
            }
            var good = 0
            for try await ok in group where ok { good += 1 }
            #expect(good == 100)
        }
        await dialer.close()
        await listener.close()
    }

    @Test func refusalsAreNamed() async throws {
        let (dialer, listener, address) = try await pair()
        try await dialer.connect(address)
        // One proposal is optimistic: the refusal comes with the first read. Several are awaited.
        let refused = try await dialer.newStream(to: listener.peerID, protocols: ["/nope/1.0.0"])
        await #expect(throws: Libp2pError.protocolNotSupported(["/nope/1.0.0"])) { try await refused.read() }
        await #expect(throws: Libp2pError.protocolNotSupported(["/nope/1.0.0", "/nope/2.0.0"])) {
            try await dialer.newStream(to: listener.peerID, protocols: ["/nope/1.0.0", "/nope/2.0.0"])
        }
        let impostor = PeerID(publicKey: PrivateKey().publicKey)
        let wrongPeer = address.splittingPeer.address.appending(.p2p(impostor.bytes))
        await #expect {
            try await Libp2pHost(identity: PrivateKey()).connect(wrongPeer)
        } throws: { error in
            "\(error)".contains("expected peer \(impostor)")
        }
        await #expect(throws: Libp2pError.noAddresses(impostor.description)) {
            try await dialer.newStream(to: impostor, protocols: [Self.echo])
        }
        await dialer.close()
        await listener.close()
    }
}

/// Peers that break the protocol lose their connection; the host carries on.
@Suite struct MisbehavingPeerTests {
    static let header = Multistream.encode(Multistream.header)
    static let misbehaviours: [(String, [UInt8])] = [
        ("not multistream", Array("GET / HTTP/1.1\r\n\r\n".utf8)),
        ("a runt Noise message 1", header + Multistream.encode("/noise") + [0, 3, 1, 2, 3]),
        ("endless refusals", header + (0...70).flatMap { Multistream.encode("/x\($0)") }),
    ]

    @Test(arguments: misbehaviours)
    func theConnectionIsClosed(_ what: String, bytes: [UInt8]) async throws {
        var configuration = Libp2pHost.Configuration()
        configuration.upgradeTimeout = .seconds(1)
        let (host, address) = try await HostFixtures.listening(configuration)
        let port = try #require(address.tcpEndpoint?.port)
        let outcome = try #require(LoopbackNetwork.exchange(port: port, sending: bytes))
        #expect(outcome.closedByServer, "\(what): the host keeps talking")
        #expect(host.connectedPeers.isEmpty)
        // A well-behaved peer still gets in.
        let good = Libp2pHost(identity: PrivateKey())
        try await good.connect(address)
        await good.close()
        await host.close()
    }
}

@Suite struct ConnectionManagerTests {
    @Test func eventsTellConnectsIdentifiesAndDisconnects() async throws {
        let (listener, address) = try await HostFixtures.listening()
        let dialer = Libp2pHost(identity: PrivateKey())
        var events = dialer.events.makeAsyncIterator()
        let connection = try await dialer.connect(address)
        #expect(await events.next() == .connected(listener.peerID))
        #expect(await events.next() == .identified(listener.peerID))
        await connection.close()
        #expect(await events.next() == .disconnected(listener.peerID))
        await dialer.close()
        await listener.close()
    }

    @Test func aboveTheHighWaterMarkTheOldestConnectionsAreClosed() async throws {
        var configuration = Libp2pHost.Configuration()
        configuration.lowWater = 2
        configuration.highWater = 3
        configuration.gracePeriod = .zero
        let (listener, address) = try await HostFixtures.listening(configuration)
        var dialers: [Libp2pHost] = []
        for _ in 0..<4 {
            let dialer = Libp2pHost(identity: PrivateKey())
            try await dialer.connect(address)
            dialers.append(dialer)
            try await Task.sleep(for: .milliseconds(20))
        }
        var open = listener.connectedPeers
        for _ in 0..<200 where open.count != 2 {
            try await Task.sleep(for: .milliseconds(10))
            open = listener.connectedPeers
        }
        #expect(Set(open) == Set(dialers.suffix(2).map(\.peerID)), "the two newest stay")
        for dialer in dialers { await dialer.close() }
        await listener.close()
    }
}

@Suite struct IdentifyPushTests {
    @Test func aPushTellsPeersAboutNewProtocols() async throws {
        let (listener, address) = try await HostFixtures.listening()
        let dialer = Libp2pHost(identity: PrivateKey())
        var events = dialer.events.makeAsyncIterator()
        try await dialer.connect(address)
        #expect(await events.next() == .connected(listener.peerID))
        #expect(await events.next() == .identified(listener.peerID))
        #expect(dialer.peerStore.record(listener.peerID)?.protocols.contains("/late/1.0.0") == false)
        listener.handle("/late/1.0.0") { stream in stream.closeWrite() }
        await listener.pushIdentify()
        var protocols = dialer.peerStore.record(listener.peerID)?.protocols ?? []
        for _ in 0..<200 where !protocols.contains("/late/1.0.0") {
            try await Task.sleep(for: .milliseconds(10))
            protocols = dialer.peerStore.record(listener.peerID)?.protocols ?? []
        }
        #expect(protocols.contains("/late/1.0.0"))
        #expect(protocols.contains(Identify.pushProtocolID))
        await dialer.close()
        await listener.close()
    }
}

@Suite struct StreamNegotiationTimeoutTests {
    @Test func aStreamThatNeverProposesIsReset() async throws {
        var configuration = Libp2pHost.Configuration()
        configuration.upgradeTimeout = .milliseconds(300)
        let (listener, address) = try await HostFixtures.listening(configuration)
        let dialer = Libp2pHost(identity: PrivateKey())
        let connection = try await dialer.connect(address)
        // Open a yamux stream and stay silent: the listener's multistream header arrives, then a reset (which
        // may discard the header first when this test is slow to read).
        let raw = try await connection.openRawStream()
        var received: [UInt8] = []
        await #expect(throws: Libp2pError.streamReset) {
            while let bytes = try await raw.read() { received += bytes }
        }
        #expect(received.isEmpty || received == Multistream.encode(Multistream.header))
        #expect(connection.isOpen, "only the stream is reset")
        await dialer.close()
        await listener.close()
    }
}
