import Libp2pCrypto

/// The Kademlia routing table: 256 buckets of at most `bucketSize` peers, bucket `i` holding the peers
/// whose key shares exactly `i` leading bits with ours. A full bucket admits a newcomer only in place of
/// a peer that has never answered a query, so peers proven useful cannot be pushed out by a flood of new
/// ones.
public struct RoutingTable: Sendable {
    public struct Entry: Sendable, Equatable {
        public let peer: PeerID
        let key: KademliaKey
        public let added: ContinuousClock.Instant
        /// When the peer last answered a query of ours; nil if it never has.
        public var lastUseful: ContinuousClock.Instant?
    }

    public let local: KademliaKey
    public let bucketSize: Int
    private var buckets: [[Entry]] = Array(repeating: [], count: 257)

    public init(local: PeerID, bucketSize: Int = 20) {
        self.local = KademliaKey(peer: local)
        self.bucketSize = bucketSize
    }

    public var count: Int { buckets.reduce(0) { $0 + $1.count } }
    public var isEmpty: Bool { buckets.allSatisfy(\.isEmpty) }
    /// The occupied buckets as (common prefix length, peers).
    public var byBucket: [(commonPrefix: Int, peers: [PeerID])] {
        buckets.indices.filter { !buckets[$0].isEmpty }.map { ($0, buckets[$0].map(\.peer)) }
    }
    public var entries: [Entry] { buckets.flatMap { $0 } }
    public func contains(_ peer: PeerID) -> Bool { entry(peer) != nil }

    public func entry(_ peer: PeerID) -> Entry? {
        let index = bucket(of: KademliaKey(peer: peer))
        return buckets[index].first { $0.peer == peer }
    }

    /// The buckets that hold peers, by common prefix length.
    public var occupiedBuckets: [Int] { buckets.indices.filter { !buckets[$0].isEmpty && $0 < 256 } }

    /// Adds `peer` (or, when `useful`, marks it as having answered); false when it is ourselves or its bucket
    /// is full of useful peers.
    @discardableResult
    public mutating func add(_ peer: PeerID, useful: Bool, now: ContinuousClock.Instant = .now) -> Bool {
        let key = KademliaKey(peer: peer)
        let index = bucket(of: key)
        guard index < 256 else { return false }
        if let position = buckets[index].firstIndex(where: { $0.peer == peer }) {
            if useful { buckets[index][position].lastUseful = now }
            return true
        }
        let entry = Entry(peer: peer, key: key, added: now, lastUseful: useful ? now : nil)
        if buckets[index].count < bucketSize {
            buckets[index].append(entry)
            return true
        }
        let replaceable = buckets[index].indices.filter { buckets[index][$0].lastUseful == nil }
        guard let oldest = replaceable.min(by: { buckets[index][$0].added < buckets[index][$1].added }) else {
            return false
        }
        buckets[index][oldest] = entry
        return true
    }

    @discardableResult
    public mutating func remove(_ peer: PeerID) -> Bool {
        let index = bucket(of: KademliaKey(peer: peer))
        guard let position = buckets[index].firstIndex(where: { $0.peer == peer }) else { return false }
        buckets[index].remove(at: position)
        return true
    }

    /// The `count` peers closest to `target`, closest first.
    public func nearest(to target: KademliaKey, count: Int) -> [PeerID] {
        // The target's own bucket holds the closest peers; every deeper bucket is next (their distance
        // to the target has the same top bit); then each shallower bucket, one tier at a time.
        let start = min(bucket(of: target), 255)
        var picked = buckets[start]
        for index in (start + 1)..<256 { picked += buckets[index] }
        var lower = start - 1
        while picked.count < count, lower >= 0 {
            picked += buckets[lower]
            lower -= 1
        }
        return Array(picked.sorted { target.isCloser($0.key, than: $1.key) }.prefix(count).map(\.peer))
    }

    private func bucket(of key: KademliaKey) -> Int { local.commonPrefixLength(with: key) }
}
