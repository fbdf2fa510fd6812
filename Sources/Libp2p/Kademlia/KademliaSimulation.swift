import Libp2pCrypto
import Multiformats
import NIOConcurrencyHelpers

/// Many DHT nodes in one process, answering each other by direct calls: the same routing tables, request
/// handling and lookup code as `KademliaDHT`, without sockets. It measures lookups on networks far larger
/// than a machine can run as daemons (`nunet-bench dht`) and tests their correctness against the true
/// closest peers. Routing tables start as a settled network's would: every bucket holds up to k random
/// peers of its range.
public final class KademliaSimulation: Sendable {
    public let peers: [PeerID]
    let nodes: [NIOLockedValueBox<KademliaCore>]
    let index: [PeerID: Int]
    /// Nodes that answer every request with `bucketSize` made-up peers (a poisoning attempt).
    let liars: Set<Int>
    public let bucketSize: Int

    /// `count` nodes with random IDs from `seed`; `liars` of them hostile.
    public init(count: Int, bucketSize: Int = 20, liars: Int = 0, seed: UInt64 = 1) {
        var random = SplitMix64(seed: seed)
        let peers = (0..<count).map { _ in
            PeerID(
                multihash: Multihash(
                    code: .sha256, digest: (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }))
        }
        self.peers = peers
        self.bucketSize = bucketSize
        index = Dictionary(uniqueKeysWithValues: peers.enumerated().map { ($1, $0) })
        self.liars = Set((0..<count).shuffled(using: &random).prefix(liars))
        let sorted = peers.map { (key: KademliaKey(peer: $0), peer: $0) }.sorted { $0.key < $1.key }
        nodes = peers.map { peer in
            var core = KademliaCore(
                local: peer, bucketSize: bucketSize, validator: NamespacedValidator(), providerTTL: .seconds(3600))
            for (_, members) in Self.bucketRanges(of: KademliaKey(peer: peer), in: sorted) {
                for member in members.shuffled(using: &random).prefix(bucketSize) {
                    core.routingTable.add(member, useful: true)
                }
            }
            return NIOLockedValueBox(core)
        }
    }

    /// For each common prefix length, the peers in that bucket of `local`'s table (binary searches over the
    /// sorted keys: a bucket is the run of keys sharing `i` bits with `local` and differing at bit `i`).
    private static func bucketRanges(of local: KademliaKey, in sorted: [(key: KademliaKey, peer: PeerID)])
        -> [(Int, ArraySlice<PeerID>)]
    {
        var result: [(Int, ArraySlice<PeerID>)] = []
        for bit in 0..<64 {
            var low = local.bytes
            var high = local.bytes
            let byte = bit / 8
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            low[byte] ^= mask
            // Everything after the differing bit: zeros for the lower bound, ones for the upper.
            low[byte] &= ~(mask - 1)
            high = low
            high[byte] |= mask - 1
            for rest in (byte + 1)..<32 {
                low[rest] = 0
                high[rest] = 0xff
            }
            let lower = partition(sorted) { !($0 < KademliaKey(point: low)) }
            let upper = partition(sorted) { KademliaKey(point: high) < $0 }
            guard lower < upper else {
                if bit > 40 { break }
                continue
            }
            result.append((bit, sorted[lower..<upper].map(\.peer)[...]))
        }
        return result
    }

    /// The first index whose key satisfies `predicate` (which must be monotonic over `sorted`).
    private static func partition(
        _ sorted: [(key: KademliaKey, peer: PeerID)], _ predicate: (KademliaKey) -> Bool
    ) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if predicate(sorted[middle].key) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The routing table of node `node`.
    public func routingTable(of node: Int) -> RoutingTable { nodes[node].withLockedValue { $0.routingTable } }

    /// The true `count` closest peers to `target`, by brute force.
    public func closest(to target: KademliaKey, count: Int) -> [PeerID] {
        Array(peers.sorted { target.isCloser(KademliaKey(peer: $0), than: KademliaKey(peer: $1)) }.prefix(count))
    }

    /// A FIND_NODE lookup for `key` started at node `origin`; its table learns from it as a node's does.
    public func lookup(from origin: Int, key: [UInt8], alpha: Int = 10) async -> KademliaLookup.Outcome {
        let local = peers[origin]
        let target = KademliaKey(hashing: key)
        let seeds = nodes[origin].withLockedValue { $0.routingTable.nearest(to: target, count: bucketSize) }
            .map { KademliaMessage.Peer(id: $0, addresses: []) }
        let request = KademliaMessage(kind: .findNode, key: key)
        let outcome = await KademliaLookup(k: bucketSize, alpha: alpha).run(
            target: target, seeds: seeds, local: local,
            query: { [self] peer in
                guard let node = index[peer.id] else { throw KademliaError.notFound("peer \(peer.id)") }
                if liars.contains(node) { return madeUpAnswer(to: request) }
                let reply = try nodes[node].withLockedValue { core in
                    try core.respond(to: request, from: local, addresses: nil)
                }
                guard let reply else { throw KademliaError.malformed("no answer") }
                return reply
            })
        nodes[origin].withLockedValue { $0.learn(from: outcome) }
        return outcome
    }

    /// `bucketSize` peers that do not exist.
    private func madeUpAnswer(to request: KademliaMessage) -> KademliaMessage {
        var generator = SystemRandomNumberGenerator()
        let fake = (0..<bucketSize).map { _ in
            KademliaMessage.Peer(
                id: PeerID(
                    multihash: Multihash(
                        code: .sha256, digest: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })),
                addresses: [])
        }
        return KademliaMessage(kind: request.kind, key: request.key, closerPeers: fake)
    }
}

/// A small seeded generator, so a simulated network is the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
