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

    @Test func aMessageReachesTheInboxOfAnotherHostWithItsSender() async throws {
        let (sender, _) = try await network()
        let (receiver, address) = try await network()
        defer {
            Task {
                await sender.host.close()
                await receiver.host.close()
            }
        }
        let (received, continuation) = AsyncStream<([UInt8], String)>.makeStream()
        try receiver.register(inbox: "root") { payload, from in continuation.yield((payload, from)) }
        _ = try await sender.host.connect(address)

        let payload = Array(#"{"be":"/public/hello"}"#.utf8)
        try await sender.send(payload, to: receiver.hostID, inbox: "root", deadline: .now + .seconds(20))
        let (bytes, from) = try await first(received)
        #expect(bytes == payload)
        #expect(from == sender.hostID)
    }

    @Test func anUnknownInboxIsReportedByName() async throws {
        let (sender, _) = try await network()
        let (receiver, address) = try await network()
        defer {
            Task {
                await sender.host.close()
                await receiver.host.close()
            }
        }
        _ = try await sender.host.connect(address)
        await #expect(throws: NetworkError.noHandler(host: receiver.hostID, inbox: "nobody")) {
            try await sender.send([1], to: receiver.hostID, inbox: "nobody", deadline: .now + .seconds(20))
        }
    }

    @Test func aPeerWithoutAddressesIsUnreachableAndAMalformedOneUnknown() async throws {
        let (sender, _) = try await network()
        defer { Task { await sender.host.close() } }
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
        defer { Task { await sender.host.close() } }
        let tooBig = [UInt8](repeating: 0, count: maximumMessageBytes + 1)
        await #expect(throws: NetworkError.tooLarge(size: tooBig.count, limit: maximumMessageBytes)) {
            try await sender.send(tooBig, to: sender.hostID, inbox: "root", deadline: nil)
        }
    }

    @Test func anInboxTakesOneHandlerAndCanBeTakenAgainAfterItIsFreed() async throws {
        let (network, _) = try await network()
        defer { Task { await network.host.close() } }
        try network.register(inbox: "root") { _, _ in }
        #expect(throws: NetworkError.inboxInUse("root")) { try network.register(inbox: "root") { _, _ in } }
        network.unregister(inbox: "root")
        try network.register(inbox: "root") { _, _ in }
    }

    @Test func aMessageToOneselfIsDeliveredLocally() async throws {
        let (network, _) = try await network()
        defer { Task { await network.host.close() } }
        let (received, continuation) = AsyncStream<String>.makeStream()
        try network.register(inbox: "me") { _, from in continuation.yield(from) }
        try await network.send([7], to: network.hostID, inbox: "me", deadline: nil)
        #expect(try await first(received) == network.hostID)
    }
}
