import DMSNetwork
import Libp2p
import Libp2pCrypto
import Multiformats
import Synchronization
import Testing

@testable import DMSNetworkLibp2p

/// The actor layer's network over real libp2p hosts on loopback.
@Suite struct Libp2pNetworkTests {
    /// A network on a host listening on 127.0.0.1, and the address others dial.
    func network() async throws -> (Libp2pNetwork, Multiaddr) {
        let host = Libp2pHost(identity: PrivateKey())
        let address = try await host.listen(try Multiaddr("/ip4/127.0.0.1/tcp/0"))
        return (Libp2pNetwork(host: host), address.appending(.p2p(host.peerID.bytes)))
    }

    /// Two networks on loopback, the first connected to the second.
    func connectedPair() async throws -> (Libp2pNetwork, Libp2pNetwork) {
        let (sender, _) = try await network()
        let (receiver, address) = try await network()
        _ = try await sender.host.connect(address)
        return (sender, receiver)
    }

    /// Stops the networks and closes their hosts once the test is over.
    func shutDown(_ networks: Libp2pNetwork...) {
        Task {
            for network in networks {
                network.close()
                await network.host.close()
            }
        }
    }

    /// Waits for the first value a handler reports, failing after `seconds`.
    func first<T: Sendable>(_ stream: AsyncStream<T>, within seconds: Int = 20) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            defer { group.cancelAll() }
            guard let value = try await group.next() ?? nil else {
                throw NetworkError.deadlineExceeded
            }
            return value
        }
    }

    /// The first `count` values of `stream`, or fewer if they do not all arrive within `seconds`.
    func take<T: Sendable>(_ count: Int, from stream: AsyncStream<T>, within seconds: Int = 20) async -> [T] {
        await withTaskGroup(of: [T].self) { group in
            group.addTask {
                var values: [T] = []
                for await value in stream {
                    values.append(value)
                    if values.count == count { break }
                }
                return values
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return []
            }
            defer { group.cancelAll() }
            return await group.next() ?? []
        }
    }

    @Test func aMessageReachesTheInboxOfAnotherHostWithItsSender() async throws {
        let (sender, receiver) = try await connectedPair()
        defer { shutDown(sender, receiver) }
        let (received, continuation) = AsyncStream<([UInt8], String)>.makeStream()
        try receiver.register(inbox: "root") { payload, from in continuation.yield((payload, from)) }

        let payload = Array(#"{"be":"/public/hello"}"#.utf8)
        try await sender.send(payload, to: receiver.hostID, inbox: "root", deadline: .now + .seconds(20))
        let (bytes, from) = try await first(received)
        #expect(bytes == payload)
        #expect(from == sender.hostID)
    }

    @Test func anUnknownInboxIsReportedByName() async throws {
        let (sender, receiver) = try await connectedPair()
        defer { shutDown(sender, receiver) }
        await #expect(throws: NetworkError.noHandler(host: receiver.hostID, inbox: "nobody")) {
            try await sender.send([1], to: receiver.hostID, inbox: "nobody", deadline: .now + .seconds(20))
        }
    }

    @Test func aPeerWithoutAddressesIsUnreachableAndAMalformedOneUnknown() async throws {
        let (sender, _) = try await network()
        defer { shutDown(sender) }
        let stranger = PeerID(publicKey: PrivateKey().publicKey).description
        await #expect(throws: NetworkError.unknownHost(stranger)) {
            try await sender.send([1], to: stranger, inbox: "root", deadline: .now + .seconds(5))
        }
        await #expect(throws: NetworkError.unknownHost("not-a-peer")) {
            try await sender.send([1], to: "not-a-peer", inbox: "root", deadline: nil)
        }
    }

    @Test func anOversizeMessageIsRefusedBeforeSending() async throws {
        let (sender, _) = try await network()
        defer { shutDown(sender) }
        let tooBig = [UInt8](repeating: 0, count: maximumMessageBytes + 1)
        await #expect(throws: NetworkError.tooLarge(size: tooBig.count, limit: maximumMessageBytes)) {
            try await sender.send(tooBig, to: sender.hostID, inbox: "root", deadline: nil)
        }
    }

    @Test func anInboxTakesOneHandlerAndCanBeTakenAgainAfterItIsFreed() async throws {
        let (network, _) = try await network()
        defer { shutDown(network) }
        try network.register(inbox: "root") { _, _ in }
        #expect(throws: NetworkError.inboxInUse("root")) { try network.register(inbox: "root") { _, _ in } }
        network.unregister(inbox: "root")
        try network.register(inbox: "root") { _, _ in }
    }

    @Test func aMessageToOneselfIsDeliveredLocally() async throws {
        let (network, _) = try await network()
        defer { shutDown(network) }
        let (received, continuation) = AsyncStream<String>.makeStream()
        try network.register(inbox: "me") { _, from in continuation.yield(from) }
        try await network.send([7], to: network.hostID, inbox: "me", deadline: nil)
        #expect(try await first(received) == network.hostID)
    }

    /// Broadcasts travel over gossipsub: published at one end of a line of three hosts, a message reaches the
    /// far end through the middle one, with its author; what the validator rejects goes nowhere.
    @Test func broadcastsCrossALineOfHostsAndRejectedOnesStop() async throws {
        let (a, addressA) = try await network()
        let (b, addressB) = try await network()
        let (c, _) = try await network()
        defer { shutDown(a, b, c) }
        let (heard, continuation) = AsyncStream<(String, String)>.makeStream()
        for (name, network) in [("a", a), ("b", b), ("c", c)] {
            try network.subscribe(
                topic: "/nunet/hello", validator: { payload, _ in payload == [0] ? .reject : .accept },
                handler: { payload, author in
                    continuation.yield((name, "\(payload) from \(author == a.hostID ? "a" : author)"))
                })
        }
        _ = try await b.host.connect(addressA)
        _ = try await c.host.connect(addressB)
        // The mesh forms on the heartbeat after the subscriptions are exchanged.
        var meshed = false
        for _ in 0..<100 where !meshed {
            try await Task.sleep(for: .milliseconds(100))
            meshed = !b.pubsub.mesh("/nunet/hello").isEmpty && !c.pubsub.mesh("/nunet/hello").isEmpty
        }
        #expect(meshed)

        await #expect(throws: NetworkError.self) { try await a.publish([0], topic: "/nunet/hello") }
        try await a.publish([1], topic: "/nunet/hello")
        let received = await take(3, from: heard).map { "\($0.0): \($0.1)" }
        #expect(Set(received) == ["a: [1] from a", "b: [1] from a", "c: [1] from a"])
    }

    @Test func aClosedNetworkRefusesNewSubscriptions() async throws {
        let (network, _) = try await network()
        network.close()
        await network.host.close()
        #expect(throws: NetworkError.closed) {
            try network.subscribe(topic: "/t", validator: { _, _ in .accept }, handler: { _, _ in })
        }
    }
}
