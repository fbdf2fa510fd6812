import Foundation
import Libp2pCrypto
import Multiformats
import Testing

@testable import Libp2p

/// The Swift router in one mesh with real go-libp2p-pubsub v0.8.2 (PyPI libp2p-go) and py-libp2p 0.8.1
/// peers on loopback, driven through `Tests/Interop` (`pubsub_*` commands). Skipped with a message when
/// `Tests/Interop/setup.sh` has not been run (a failure in CI).
@Suite(.serialized) struct GossipsubInteropTests {
    static let topic = "/nunet/interop"

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    /// The next `pubsub` event on `peer` whose data is `text`.
    static func received(_ text: String, at peer: InteropPeer) async throws -> [String: Any] {
        try await peer.next(timeout: 30) {
            $0["event"] as? String == "pubsub" && $0["data_b64"] as? String == base64(text)
        }
    }

    static func joinAndDial(_ peer: InteropPeer, _ address: Multiaddr) async throws {
        let joined = try await peer.command("pubsub_join", ["topic": topic])
        #expect(joined["ok"] as? Bool == true, "\(joined)")
        let dialed = try await peer.command("dial", ["addr": address.description])
        #expect(dialed["ok"] as? Bool == true, "\(dialed)")
    }

    @Test func swiftMeshesWithGoAndPythonAndForwardsBetweenThem() async throws {
        guard try InteropPeer.installed(.go), try InteropPeer.installed(.py) else { return }
        let (host, address) = try await HostFixtures.listening()
        let swift = Gossipsub(host: host)
        swift.start()
        let messages = try swift.join(Self.topic)
        // Two Go peers and a Python peer, each connected only to the Swift node.
        let go1 = try await InteropPeer(.go)
        let go2 = try await InteropPeer(.go)
        let py = try await InteropPeer(.py)
        defer {
            Task {
                for peer in [go1, go2, py] { await peer.quit() }
            }
        }
        for peer in [go1, go2, py] { try await Self.joinAndDial(peer, address) }
        let ids = Set([go1, go2, py].map(\.peerID))
        let meshed = await GossipsubHostTests.eventually {
            Set(swift.mesh(Self.topic).map(\.description)) == ids
        }
        #expect(meshed, "the Swift mesh holds all three peers: \(swift.mesh(Self.topic))")

        // Swift → everyone.
        try await swift.publish(Self.topic, Array("from swift".utf8))
        for peer in [go1, go2, py] {
            let event = try await Self.received("from swift", at: peer)
            #expect(event["from"] as? String == host.peerID.description)
        }
        // Go → Swift, and through Swift to the other Go peer and to Python.
        _ = try await go1.command("pubsub_publish", ["topic": Self.topic, "data_b64": Self.base64("from go")])
        #expect(try await Self.received("from go", at: go2)["from"] as? String == go1.peerID)
        #expect(try await Self.received("from go", at: py)["from"] as? String == go1.peerID)
        // Python → Swift → Go.
        _ = try await py.command("pubsub_publish", ["topic": Self.topic, "data_b64": Self.base64("from python")])
        #expect(try await Self.received("from python", at: go1)["from"] as? String == py.peerID)
        #expect(try await Self.received("from python", at: go2)["from"] as? String == py.peerID)

        var seen: [String: String] = [:]
        for await message in messages {
            seen[String(decoding: message.data, as: UTF8.self)] = message.from.description
            if seen.count == 3 { break }
        }
        #expect(
            seen == [
                "from swift": host.peerID.description, "from go": go1.peerID, "from python": py.peerID,
            ])
        swift.stop()
        await host.close()
    }

    /// Go authors with RSA and ECDSA keys (SHA-256 peer IDs) send their key with each message; secp256k1
    /// authors' keys are in their peer IDs. Swift verifies all of them and delivers.
    @Test(arguments: [KeyType.rsa, .ecdsa, .secp256k1])
    func messagesOfAGoAuthorWithThisKeyTypeAreVerified(_ type: KeyType) async throws {
        guard let go = try await InteropPeer.go(keyType: type) else { return }
        defer { Task { await go.quit() } }
        let (host, address) = try await HostFixtures.listening()
        let swift = Gossipsub(host: host)
        swift.start()
        let messages = try swift.join(Self.topic)
        try await Self.joinAndDial(go, address)
        #expect(await GossipsubHostTests.eventually { swift.mesh(Self.topic).map(\.description) == [go.peerID] })

        _ = try await go.command("pubsub_publish", ["topic": Self.topic, "data_b64": Self.base64("from go")])
        let message = await GossipsubHostTests.next(messages)
        #expect(message?.from.description == go.peerID)
        #expect(message.map { String(decoding: $0.data, as: UTF8.self) } == "from go")
        swift.stop()
        await host.close()
    }

    @Test func aForgedMessageIsDroppedAndNotForwarded() async throws {
        guard try InteropPeer.installed(.go) else { return }
        let (host, address) = try await HostFixtures.listening()
        let swift = Gossipsub(host: host)
        swift.start()
        _ = try swift.join(Self.topic)
        let go = try await InteropPeer(.go)
        defer { Task { await go.quit() } }
        try await Self.joinAndDial(go, address)
        #expect(await GossipsubHostTests.eventually { swift.mesh(Self.topic).map(\.description) == [go.peerID] })

        // A hand-driven peer writes RPCs straight onto a /meshsub stream: a forged message, then a valid one.
        let forgerKey = PrivateKey()
        let forger = Libp2pHost(identity: forgerKey)
        forger.handle(Gossipsub.protocolV11) { stream in _ = try? await stream.readAll(limit: 1 << 24) }
        try await forger.connect(address)
        let stream = try await forger.newStream(to: host.peerID, protocols: [Gossipsub.protocolV11])
        var forged = GossipsubSigning.signedMessage(
            topic: Self.topic, data: Array("genuine".utf8), seqno: 1, key: forgerKey)
        forged.data = Array("forged".utf8)
        let valid = GossipsubSigning.signedMessage(
            topic: Self.topic, data: Array("valid".utf8), seqno: 2, key: forgerKey)
        try await stream.write(
            GossipsubCodec.frame(
                GossipsubRPC(subscriptions: [.init(subscribe: true, topic: Self.topic)], publish: [forged])))
        try await stream.write(GossipsubCodec.frame(GossipsubRPC(publish: [valid])))

        // The valid message, sent after the forged one, reaches Go through Swift; the forged one never does.
        let event = try await Self.received("valid", at: go)
        #expect(event["from"] as? String == forger.peerID.description)
        let forwardedForgery = try? await go.next(timeout: 1) {
            $0["event"] as? String == "pubsub" && $0["data_b64"] as? String == Self.base64("forged")
        }
        #expect(forwardedForgery == nil)
        #expect(swift.score(forger.peerID) < 0, "the forger was penalised (P4)")
        swift.stop()
        await forger.close()
        await host.close()
    }
}
