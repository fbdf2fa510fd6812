import Foundation
import Libp2p
import Libp2pCrypto
import Multiformats
import Testing

/// The Swift host against real go-libp2p (v0.24.2 through PyPI libp2p-go) and py-libp2p peers over TCP
/// on loopback. The peers come from `Tests/Interop/setup.sh` (run by `.ci/run`); without them these
/// tests are skipped with a message.
@Suite(.serialized) struct InteropTests {
    static let messages = "actor/root/messages/0.0.1"
    static let echo = HostFixtures.echo

    /// A Swift host that serves the DMS message protocol (reporting what arrives) and echo.
    func swiftHost() async throws -> (Libp2pHost, Multiaddr, AsyncStream<[UInt8]>) {
        let (host, address) = try await HostFixtures.listening()
        let (received, continuation) = AsyncStream<[UInt8]>.makeStream()
        host.handle(Self.messages) { stream in
            if let bytes = try? await stream.readAll(limit: 1 << 20 + 8) { continuation.yield(bytes) }
            stream.closeWrite()
        }
        HostFixtures.serveEcho(on: host)
        return (host, address, received)
    }

    /// Has `peer` send a DMS-framed hello to `host` and checks it arrives byte for byte.
    static func expectMessage(
        from peer: InteropPeer, named sender: String, to host: Libp2pHost, arriving received: AsyncStream<[UInt8]>
    ) async throws {
        let envelope = frame(#"{"be":"/public/hello","from":"\#(sender)"}"#)
        let sent = try await peer.command(
            "send",
            [
                "peer": host.peerID.description, "protocol": messages,
                "data_b64": Data(envelope).base64EncodedString(),
            ])
        #expect(sent["ok"] as? Bool == true, "\(sent)")
        var iterator = received.makeAsyncIterator()
        #expect(await iterator.next() == envelope)
    }

    static func frame(_ json: String) -> [UInt8] {
        let body = Array(json.utf8)
        return withUnsafeBytes(of: UInt64(body.count).littleEndian, Array.init) + body
    }

    static var available: [InteropPeer.Implementation] { InteropPeer.Implementation.allCases }

    /// Go identities besides Ed25519: RSA (NuNet's public bootstrap nodes), ECDSA (P-256) and secp256k1.
    static let goKeyTypes: [KeyType] = [.rsa, .ecdsa, .secp256k1]

    /// The peer's record once identify has filled it in, waiting up to 10 s for the answer.
    func identified(_ peer: PeerID, by host: Libp2pHost) async throws -> PeerStore.Record? {
        for _ in 0..<1000 {
            if let record = host.peerStore.record(peer), record.agentVersion != nil { return record }
            try await Task.sleep(for: .milliseconds(10))
        }
        return host.peerStore.record(peer)
    }

    /// Whether the go peer's identify learnt `host`'s listen address (its peerstore lists it), within 10 s.
    func goLearnsListenAddress(of host: Libp2pHost, peer: InteropPeer) async throws -> Bool {
        let listening = Set(host.listenAddresses.map(\.description))
        for _ in 0..<100 {
            let answer = try await peer.command("identify", ["peer": host.peerID.description])
            if let known = answer["listen_addrs"] as? [String], !listening.isDisjoint(with: known) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test(arguments: goKeyTypes)
    func swiftDialsAGoPeerWithThisKeyType(_ type: KeyType) async throws {
        guard let peer = try await InteropPeer.go(keyType: type) else { return }
        defer { Task { await peer.quit() } }
        let (host, _, _) = try await swiftHost()
        #expect(peer.peerID.hasPrefix(type == .secp256k1 ? "16Uiu2HA" : "Qm"), "\(peer.peerID)")
        let connection = try await host.connect(try Multiaddr(peer.address))
        #expect(connection.remotePeer.description == peer.peerID)
        #expect(connection.remoteKey.type == type)
        _ = try await host.ping(connection.remotePeer)

        // Identify both ways: we took Go's answer (its key is its peer ID's), Go took ours (it has our listen
        // address only from our answer, having been dialed).
        let record = try await identified(connection.remotePeer, by: host)
        #expect(record?.agentVersion?.isEmpty == false, "\(String(describing: record))")
        #expect(record?.protocols.contains(Ping.protocolID) == true)
        #expect(try await goLearnsListenAddress(of: host, peer: peer))

        let ping = try await peer.command("ping", ["peer": host.peerID.description])
        #expect(ping["ok"] as? Bool == true, "\(ping)")
        await host.close()
    }

    @Test(arguments: goKeyTypes)
    func aGoPeerWithThisKeyTypeDialsSwift(_ type: KeyType) async throws {
        guard let peer = try await InteropPeer.go(keyType: type) else { return }
        defer { Task { await peer.quit() } }
        let (host, address, received) = try await swiftHost()
        let dialed = try await peer.command("dial", ["addr": address.description])
        #expect(dialed["ok"] as? Bool == true, "\(dialed)")
        let ping = try await peer.command("ping", ["peer": host.peerID.description])
        #expect(ping["ok"] as? Bool == true, "\(ping)")

        try await Self.expectMessage(from: peer, named: "go", to: host, arriving: received)

        let goPeer = try PeerID(peer.peerID)
        #expect(host.connections(to: goPeer).map(\.remoteKey.type) == [type])
        let record = try await identified(goPeer, by: host)
        #expect(record?.agentVersion?.isEmpty == false, "\(String(describing: record))")
        _ = try await host.ping(goPeer)
        await host.close()
    }

    @Test(arguments: available)
    func swiftDialsThePeer(_ implementation: InteropPeer.Implementation) async throws {
        guard try InteropPeer.installed(implementation) else { return }
        let peer = try await InteropPeer(implementation)
        defer { Task { await peer.quit() } }
        let (host, _, _) = try await swiftHost()
        let connection = try await host.connect(try Multiaddr(peer.address))
        #expect(connection.remotePeer.description == peer.peerID)
        #expect(try await host.ping(connection.remotePeer) < .seconds(5))

        let envelope = Self.frame(#"{"be":"/public/hello","from":"swift"}"#)
        let stream = try await host.newStream(to: connection.remotePeer, protocols: [Self.messages])
        try await stream.write(envelope)
        stream.closeWrite()
        let event = try await peer.next { $0["event"] as? String == "message" }
        #expect(event["data_b64"] as? String == Data(envelope).base64EncodedString())

        // 4 MiB on one stream: window updates both ways and Noise chunking.
        let payload = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        let echo = try await host.newStream(to: connection.remotePeer, protocols: [Self.echo])
        async let echoed = echo.read(exactly: payload.count)
        try await echo.write(payload)
        #expect(try await echoed == payload)
        echo.closeWrite()

        // Identify: the peer's protocols and agent, as it told us.
        var record = host.peerStore.record(connection.remotePeer)
        for _ in 0..<300 where record?.agentVersion == nil {
            try await Task.sleep(for: .milliseconds(10))
            record = host.peerStore.record(connection.remotePeer)
        }
        #expect(record?.protocols.contains(Self.echo) == true, "\(String(describing: record))")
        #expect(record?.protocols.contains(Ping.protocolID) == true)
        #expect(record?.agentVersion?.isEmpty == false)
        await host.close()
    }

    @Test(arguments: available)
    func aProtocolThePeerRefusesFailsTheOptimisticStream(_ implementation: InteropPeer.Implementation) async throws {
        guard try InteropPeer.installed(implementation) else { return }
        let peer = try await InteropPeer(implementation)
        defer { Task { await peer.quit() } }
        let (host, _, _) = try await swiftHost()
        let connection = try await host.connect(try Multiaddr(peer.address))
        let refused = try await host.newStream(on: connection, protocols: ["/nunet-test/nope/1.0.0"])
        await #expect(throws: Libp2pError.protocolNotSupported(["/nunet-test/nope/1.0.0"])) {
            try await refused.write(Self.frame("{}"))
            _ = try await refused.read()
        }
        #expect(try await host.ping(connection.remotePeer) < .seconds(5), "the connection carries on")
        await host.close()
    }

    @Test(arguments: available)
    func thePeerDialsSwift(_ implementation: InteropPeer.Implementation) async throws {
        guard try InteropPeer.installed(implementation) else { return }
        let peer = try await InteropPeer(implementation)
        defer { Task { await peer.quit() } }
        let (host, address, received) = try await swiftHost()
        let dialed = try await peer.command("dial", ["addr": address.description])
        #expect(dialed["ok"] as? Bool == true, "\(dialed)")

        try await Self.expectMessage(from: peer, named: "\(implementation)", to: host, arriving: received)

        let ping = try await peer.command("ping", ["peer": host.peerID.description])
        #expect(ping["ok"] as? Bool == true, "\(ping)")
        let echo = try await peer.command(
            "echo", ["peer": host.peerID.description, "protocol": Self.echo, "size": 4 << 20, "streams": 1])
        #expect(echo["ok"] as? Bool == true, "\(echo)")
        let many = try await peer.command(
            "echo", ["peer": host.peerID.description, "protocol": Self.echo, "size": 4096, "streams": 100])
        #expect(many["ok"] as? Bool == true, "\(many)")

        if implementation == .py {
            // py-libp2p reports what our identify answered.
            let identify = try await peer.command("identify", ["peer": host.peerID.description])
            let protocols = identify["protocols"] as? [String] ?? []
            #expect(protocols.contains(Self.messages) && protocols.contains(Identify.protocolID), "\(identify)")
            #expect(identify["agent_version"] as? String == "nunet/libp2p-swift")
            #expect((identify["observed_addr"] as? String)?.hasPrefix("/ip4/127.0.0.1/tcp/") == true, "\(identify)")
        }
        await host.close()
    }
}
