import DMSNetwork
import DMSNetworkLibp2p
import Foundation
import Libp2p
import Libp2pCrypto
import Logging
import Multiformats
import Synchronization

/// Broadcast delivery over GossipSub and what peers and topics cost, in-process on loopback TCP:
///
/// - memory: RSS (VmRSS) of this process with one `Libp2pNetwork`, after 100 more (not connected), after
///   each of them dialled the first, and after all 101 joined 100 topics;
/// - delivery: 50 `Libp2pNetwork`s on real `Libp2pHost`s, every one dialling host 1 as the daemons of
///   `scripts/nunet-cluster` dial their bootstrap node, all joined to one topic; once the meshes formed,
///   messages are published one at a time from host 1 (the bootstrap node, where `nunet actor cmd
///   /broadcast/hello` publishes in the cluster) and from host 50 (a leaf), and the time from `publish` to
///   each other host's topic handler is recorded. Goal: p99 under 100 ms to every node.
enum PubsubBenchmarks {
    static let hosts = 50
    static let topic = "/nunet/bench"
    static let payloadSize = 2048

    static func run() async throws {
        try await memory()
        try await delivery()
    }

    // MARK: Memory

    static func memory() async throws {
        let first = try await Node.start()
        try await Task.sleep(for: .milliseconds(500))
        let oneHost = rss()
        var others: [Node] = []
        for _ in 0..<100 { others.append(try await Node.start()) }
        try await Task.sleep(for: .milliseconds(500))
        let unconnected = rss()
        for node in others { _ = try await node.host.connect(first.address) }
        try await waitUntil("100 gossipsub peers at host 1", timeout: .seconds(30)) {
            first.network.pubsub.connectedPeers.count == 100
                && others.allSatisfy { $0.network.pubsub.connectedPeers.contains(first.host.peerID) }
        }
        try await Task.sleep(for: .seconds(2))
        let connected = rss()
        let all = [first] + others
        for index in 0..<100 {
            for node in all {
                try node.network.subscribe(
                    topic: "/bench/topic-\(index)", validator: { _, _ in .accept }, handler: { _, _ in })
            }
        }
        try await waitUntil("100 topics announced by 100 peers at host 1", timeout: .seconds(60)) {
            (0..<100).allSatisfy { first.network.pubsub.peers("/bench/topic-\($0)").count == 100 }
        }
        try await Task.sleep(for: .seconds(3))  // a few heartbeats: meshes graft and settle
        let joined = rss()
        let meshes = (0..<100).map { first.network.pubsub.mesh("/bench/topic-\($0)").count }
        for node in all { await node.stop() }

        Measure.row("RSS, 1 host (Libp2pNetwork with its gossipsub router)", kib(oneHost))
        Measure.row("RSS per added host, not connected (100 hosts)", kib((unconnected - oneHost) / 100))
        Measure.row(
            "RSS per connection (100 hosts dialled host 1; both ends in this process)",
            kib((connected - unconnected) / 100))
        Measure.row(
            "RSS per topic joined by all 101 hosts (100 topics; host 1 mesh \(meshes.min()!)–\(meshes.max()!))",
            kib((joined - connected) / 100))
        Measure.row("RSS per (host, topic) join (10,100 joins)", kib((joined - connected) / 10_100))
    }

    // MARK: Delivery

    static func delivery() async throws {
        let nodes = try await (0..<hosts).asyncMap { _ in try await Node.start() }
        let deliveries = Deliveries()
        for (index, node) in nodes.enumerated() {
            try node.network.subscribe(
                topic: topic, validator: { _, _ in .accept },
                handler: { payload, _ in deliveries.record(message: Deliveries.messageNumber(payload), host: index) })
        }
        let meshStart = ContinuousClock.now
        for node in nodes.dropFirst() { _ = try await node.host.connect(nodes[0].address) }
        try await waitUntil("subscriptions to \(topic)", timeout: .seconds(60)) {
            nodes[0].network.pubsub.peers(topic).count == hosts - 1
                && nodes.dropFirst().allSatisfy { $0.network.pubsub.peers(topic).contains(nodes[0].host.peerID) }
        }
        let subscribed = Measure.seconds(ContinuousClock.now - meshStart)
        // Heartbeats: leaves graft host 1, host 1 prunes its oversubscribed mesh with peer exchange.
        try await Task.sleep(for: .seconds(5))
        let hubMesh = nodes[0].network.pubsub.mesh(topic).count
        let emptyMeshes = nodes.dropFirst().filter { $0.network.pubsub.mesh(topic).isEmpty }.count
        let leafPeers = nodes.dropFirst().map { $0.host.connectedPeers.count }.sorted()
        Measure.row(
            "\(hosts) hosts dial host 1: every subscription known after", String(format: "%.0f ms", subscribed * 1000))
        Measure.row(
            "5 s later: host 1 mesh / leaves with an empty mesh / leaf connections (median, max)",
            "\(hubMesh) / \(emptyMeshes) / \(leafPeers[leafPeers.count / 2]), \(leafPeers.last!)")

        var next = 0
        let settings = [
            ("host 1 (bootstrap)", 0, 5, 100, Duration.seconds(3)), ("host 50 (leaf)", 49, 3, 10, .seconds(3)),
        ]
        for (label, publisher, rounds, messages, wait) in settings {
            var perNode: [(p50: Double, p99: Double)] = []
            var toAll: [(p50: Double, p99: Double)] = []
            var missing = 0
            var complete = 0
            // Round 0 warms up (stream buffers, scores) and is not counted.
            for round in 0...rounds {
                var latencies: [Double] = []
                var lastArrivals: [Double] = []
                for _ in 0..<messages {
                    let number = next
                    next += 1
                    var payload = [UInt8](repeating: 0x5A, count: payloadSize)
                    withUnsafeBytes(of: UInt64(number).littleEndian) { payload.replaceSubrange(0..<8, with: $0) }
                    let start = ContinuousClock.now
                    try await nodes[publisher].network.publish(payload, topic: topic)
                    let expected = hosts - 1
                    let deadline = start + wait
                    while deliveries.count(message: number, excluding: publisher) < expected,
                        ContinuousClock.now < deadline
                    {
                        try await Task.sleep(for: .milliseconds(1))
                    }
                    let arrivals = deliveries.take(message: number, excluding: publisher).map {
                        Measure.seconds($0 - start)
                    }
                    guard round > 0 else { continue }
                    missing += expected - arrivals.count
                    latencies += arrivals
                    if arrivals.count == expected {
                        complete += 1
                        lastArrivals.append(arrivals.max()!)
                    }
                    try await Task.sleep(for: .milliseconds(10))
                }
                guard round > 0 else { continue }
                latencies.sort()
                lastArrivals.sort()
                perNode.append((percentile(latencies, 50), percentile(latencies, 99)))
                if !lastArrivals.isEmpty { toAll.append((percentile(lastArrivals, 50), percentile(lastArrivals, 99))) }
            }
            let total = rounds * messages
            Measure.row(
                "publish from \(label) → each of \(hosts - 1) hosts, p50 (\(rounds) rounds × \(messages) messages)",
                milliseconds(perNode.map(\.p50)), "")
            Measure.row("publish from \(label) → each host, p99", milliseconds(perNode.map(\.p99)), "< 100 ms")
            Measure.row("publish from \(label) → all \(hosts - 1) hosts, p50", milliseconds(toAll.map(\.p50)), "")
            Measure.row("publish from \(label) → all hosts, p99", milliseconds(toAll.map(\.p99)), "< 100 ms")
            Measure.row(
                "publish from \(label): messages that reached all hosts within \(wait) / deliveries missing",
                "\(complete) of \(total) / \(missing) of \(total * (hosts - 1))", "all / 0")
        }
        for node in nodes { await node.stop() }
    }

    // MARK: Helpers

    /// A `Libp2pNetwork` on its own host, listening on loopback.
    struct Node {
        let host: Libp2pHost
        let network: Libp2pNetwork
        let address: Multiaddr

        static func start() async throws -> Node {
            let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
            let host = Libp2pHost(identity: PrivateKey(), logger: logger)
            let network = Libp2pNetwork(host: host, logger: logger)
            let address = try await host.listen(try Multiaddr("/ip4/127.0.0.1/tcp/0")).appending(
                .p2p(host.peerID.bytes))
            return Node(host: host, network: network, address: address)
        }

        func stop() async {
            network.close()
            await host.close()
        }
    }

    /// When each host's topic handler saw each message.
    final class Deliveries: Sendable {
        private let arrivals = Mutex<[Int: [Int: ContinuousClock.Instant]]>([:])

        static func messageNumber(_ payload: [UInt8]) -> Int {
            Int(payload.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) })
        }

        func record(message: Int, host: Int) {
            let now = ContinuousClock.now
            arrivals.withLock { $0[message, default: [:]][host] = now }
        }

        func count(message: Int, excluding host: Int) -> Int {
            arrivals.withLock { $0[message]?.keys.filter { $0 != host }.count ?? 0 }
        }

        func take(message: Int, excluding host: Int) -> [ContinuousClock.Instant] {
            arrivals.withLock { ($0.removeValue(forKey: message) ?? [:]).filter { $0.key != host }.map(\.value) }
        }
    }

    static func waitUntil(_ what: String, timeout: Duration, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { throw BenchmarkTimeout(what: what) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    struct BenchmarkTimeout: Error, CustomStringConvertible {
        let what: String
        var description: String { "pubsub benchmark: timed out waiting for \(what)" }
    }

    /// VmRSS of this process in bytes.
    static func rss() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kib = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kib * 1024
    }

    static func kib(_ bytes: Int) -> String { String(format: "%.0f KiB", Double(bytes) / 1024) }

    static func percentile(_ sorted: [Double], _ p: Int) -> Double {
        sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, sorted.count * p / 100)]
    }

    /// The median of per-round figures with their range.
    static func milliseconds(_ values: [Double]) -> String {
        guard !values.isEmpty else { return "n/a" }
        let sorted = values.sorted()
        return String(
            format: "%.1f ms (%.1f–%.1f)", sorted[sorted.count / 2] * 1000, sorted.first! * 1000, sorted.last! * 1000)
    }

}

extension Range where Bound == Int {
    fileprivate func asyncMap<T>(_ transform: (Int) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
