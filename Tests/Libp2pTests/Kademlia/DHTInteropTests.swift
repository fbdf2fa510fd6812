import DMSNetworkLibp2p
import Foundation
import Libp2pCrypto
import Multiformats
import NunetTestSupport
import Testing

@testable import Libp2p

/// The Swift DHT against go-libp2p-kad-dht (v0.20 in PyPI libp2p-go) set up as the Go DMS sets up its
/// own: `/nunet/kad/1.0.0`, server mode, the `nunet-dht-1` validator (checked in Python, apart from the
/// Swift code). Skipped with a message without the interop venv; CI installs it.
@Suite(.serialized) struct DHTInteropTests {
    struct SwiftNode {
        let host: Libp2pHost
        let address: Multiaddr
        let dht: KademliaDHT

        func close() async {
            dht.stop()
            await host.close()
        }
    }

    static func swiftNode() async throws -> SwiftNode {
        let (host, address) = try await HostFixtures.listening()
        var configuration = KademliaDHT.Configuration()
        configuration.validator = AdvertisementValidator.dms
        configuration.queryTimeout = .seconds(10)
        let dht = KademliaDHT(host: host, configuration: configuration)
        dht.start()
        return SwiftNode(host: host, address: address, dht: dht)
    }

    static func goNode(bootstrap: [Multiaddr]) async throws -> InteropPeer {
        let peer = try await InteropPeer(.go, script: "go_dht_peer.py")
        let started = try await peer.command("dht_start", ["bootstrap": bootstrap.map(\.description)])
        #expect(started["ok"] as? Bool == true, "dht_start: \(started)")
        return peer
    }

    @Test func goBootstrapsFromSwiftAndTheyExchangeValuesAndProviders() async throws {
        guard try InteropPeer.installed(.go) else { return }
        let swift = try await Self.swiftNode()
        let go = try await Self.goNode(bootstrap: [swift.address])
        defer {
            Task {
                await go.quit()
                await swift.close()
            }
        }
        let goPeer = try PeerID(go.peerID)
        #expect(await NunetProcess.eventually(timeout: 20) { swift.dht.routingTable.contains(goPeer) })
        let bootstrapped = try await go.command("dht_bootstrap")
        #expect(bootstrapped["ok"] as? Bool == true, "\(bootstrapped)")

        // Swift puts a signed advertisement; Go's validator checks it and Go reads it back.
        let identity = swift.host.identity
        let advertisement = Advertisement(data: Array("from swift".utf8), identity: identity, timestamp: 1_765_000_000)
        let swiftKey = Advertisement.recordKey("interop", peer: swift.host.peerID.description)
        #expect(try await swift.dht.putValue(key: swiftKey, value: advertisement.bytes) == 1)
        let read = try await go.command("dht_get", ["key": swiftKey])
        #expect(read["value_b64"] as? String == Data(advertisement.bytes).base64EncodedString(), "\(read)")

        // Go puts one (signed by another Ed25519 identity, as a DMS would); Swift reads and verifies it.
        let author = PrivateKey()
        let goKey = Advertisement.recordKey("interop", peer: PeerID(publicKey: author.publicKey).description)
        let goValue = Advertisement(data: Array("via go".utf8), identity: author, timestamp: 1_765_000_001).bytes
        let put = try await go.command("dht_put", ["key": goKey, "value_b64": Data(goValue).base64EncodedString()])
        #expect(put["ok"] as? Bool == true, "\(put)")
        #expect(try await swift.dht.getValue(key: goKey) == goValue)

        // Go refuses a forged record from Swift.
        var forged = advertisement
        forged.data = Array("changed".utf8)
        let forgedKey = Advertisement.recordKey("forged", peer: swift.host.peerID.description)
        let request = KademliaMessage.Record(key: Array(forgedKey.utf8), value: forged.bytes)
        await #expect(throws: (any Error).self) {
            try await swift.dht.send(
                KademliaMessage(kind: .putValue, key: request.key, record: request),
                to: KademliaMessage.Peer(id: goPeer, addresses: []))
        }

        // Provider records: Go advertises through go-libp2p's routing discovery; Swift finds it by the same
        // namespace key, and the other way round.
        let advertised = try await go.command("dht_advertise", ["namespace": "nunet-interop"])
        #expect(advertised["ok"] as? Bool == true)
        var found: [KademliaMessage.Peer] = []
        for _ in 0..<50 where found.isEmpty {
            found = await swift.dht.findProviders(Rendezvous.key("nunet-interop"), limit: 5)
            if found.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(found.map { $0.id } == [goPeer])
        #expect(await swift.dht.provide(Rendezvous.key("nunet-swift")) == 1)
        let peers = try await go.command("dht_find_peers", ["namespace": "nunet-swift"])
        #expect((peers["peers"] as? [String])?.contains(swift.host.peerID.description) == true, "\(peers)")
    }

    @Test func swiftBootstrapsFromGoAndFindsPeersThroughIt() async throws {
        guard try InteropPeer.installed(.go) else { return }
        let first = try await Self.swiftNode()
        let go = try await Self.goNode(bootstrap: [first.address])
        let second = try await Self.swiftNode()
        defer {
            Task {
                await go.quit()
                await first.close()
                await second.close()
            }
        }
        let goPeer = try PeerID(go.peerID)
        // Go must have the first Swift node in its table before it can introduce it.
        _ = try await go.command("dht_bootstrap")
        try await second.host.connect(try Multiaddr(go.address))
        #expect(await NunetProcess.eventually(timeout: 20) { second.dht.routingTable.contains(goPeer) })
        await second.dht.bootstrap()
        #expect(second.dht.routingTable.contains(first.host.peerID), "learned from Go's FIND_NODE answer")
        let addresses = try await second.dht.findPeer(first.host.peerID)
        #expect(addresses.contains(first.address.splittingPeer.address))
    }
}
