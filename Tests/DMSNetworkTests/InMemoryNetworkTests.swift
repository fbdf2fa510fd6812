import DMSNetwork
import Synchronization
import Testing

/// The in-memory network many nodes of one process share (tests, benchmarks): it must behave as the libp2p
/// one does, or what the tests prove would not hold over the wire.
@Suite struct InMemoryNetworkTests {
    let hub = InMemoryNetworkHub()

    /// The first value of `stream`, or nil when nothing arrives within `seconds`.
    func first<T: Sendable>(_ stream: AsyncStream<T>, within seconds: Int = 10) async -> T? {
        await withTaskGroup(of: T?.self) { group in
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return nil
            }
            defer { group.cancelAll() }
            return await group.next() ?? nil
        }
    }

    @Test func messagesReachTheNamedInboxWithTheSender() async throws {
        let a = hub.host("a")
        let b = hub.host("b")
        let (received, continuation) = AsyncStream<([UInt8], String)>.makeStream()
        try b.register(inbox: "root") { payload, sender in continuation.yield((payload, sender)) }
        try await a.send([1, 2, 3], to: "b", inbox: "root", deadline: nil)
        let message = await first(received)
        #expect(message?.0 == [1, 2, 3])
        #expect(message?.1 == "a")
    }

    @Test func unknownHostsAndInboxesAreNamed() async throws {
        let a = hub.host("a")
        let b = hub.host("b")
        await #expect(throws: NetworkError.unknownHost("c")) {
            try await a.send([1], to: "c", inbox: "root", deadline: nil)
        }
        await #expect(throws: NetworkError.noHandler(host: "b", inbox: "root")) {
            try await a.send([1], to: "b", inbox: "root", deadline: nil)
        }
        hub.remove("b")
        await #expect(throws: NetworkError.unknownHost(b.hostID)) {
            try await a.send([1], to: "b", inbox: "root", deadline: nil)
        }
    }

    @Test func aPassedDeadlineAndAnOversizeMessageAreRefused() async throws {
        let a = hub.host("a")
        await #expect(throws: NetworkError.deadlineExceeded) {
            try await a.send([1], to: "a", inbox: "root", deadline: .now - .seconds(1))
        }
        await #expect(throws: NetworkError.tooLarge(size: maximumMessageBytes + 1, limit: maximumMessageBytes)) {
            try await a.publish([UInt8](repeating: 0, count: maximumMessageBytes + 1), topic: "/t")
        }
    }

    /// Only subscribers whose validator accepts get a broadcast.
    @Test func broadcastsReachEverySubscriberThatAccepts() async throws {
        let (accepted, continuation) = AsyncStream<String>.makeStream()
        // The hub holds its hosts weakly, as a process holds its nodes: keep them alive here.
        let hosts = ["a", "b", "c", "e"].map { hub.host($0) }
        for host in hosts {
            let name = host.hostID
            try host.subscribe(
                topic: "/nunet/hello", validator: { _, _ in name == "c" ? .reject : .accept },
                handler: { _, _ in continuation.yield(name) })
        }
        #expect(throws: NetworkError.alreadySubscribed("/nunet/hello")) {
            try hosts[3].subscribe(topic: "/nunet/hello", validator: { _, _ in .accept }, handler: { _, _ in })
        }
        hosts[3].unsubscribe(topic: "/nunet/hello")
        let sender = hub.host("sender")
        try await sender.publish([1], topic: "/nunet/hello")
        var names: Set<String> = []
        for _ in 0..<2 { if let name = await first(accepted) { names.insert(name) } }
        #expect(names == ["a", "b"])
    }
}
