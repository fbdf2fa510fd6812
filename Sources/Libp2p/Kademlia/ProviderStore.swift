import Libp2pCrypto
import Multiformats

/// Who said they can provide what: provider records by key (a multihash), each expiring `ttl` after its
/// last announcement (48 h in the IPFS defaults the Go DMS keeps). Bounded per key and in total.
struct ProviderStore: Sendable {
    struct Provider: Sendable, Equatable {
        var peer: PeerID
        var addresses: [Multiaddr]
        var expires: ContinuousClock.Instant
    }

    let ttl: Duration
    let perKey: Int
    let capacity: Int
    private var providers: [[UInt8]: [Provider]] = [:]
    private var total = 0

    init(ttl: Duration = .seconds(48 * 3600), perKey: Int = 256, capacity: Int = 65536) {
        self.ttl = ttl
        self.perKey = perKey
        self.capacity = capacity
    }

    func providers(of key: [UInt8], now: ContinuousClock.Instant = .now) -> [Provider] {
        (providers[key] ?? []).filter { $0.expires > now }
    }

    /// Records or renews `peer` as a provider of `key`; false when full.
    @discardableResult
    mutating func add(
        _ peer: PeerID, addresses: [Multiaddr], for key: [UInt8], now: ContinuousClock.Instant = .now
    ) -> Bool {
        var list = (providers[key] ?? []).filter { $0.expires > now }
        let removed = (providers[key]?.count ?? 0) - list.count
        total -= removed
        let record = Provider(peer: peer, addresses: addresses, expires: now + ttl)
        if let index = list.firstIndex(where: { $0.peer == peer }) {
            list[index] = record
        } else {
            if total >= capacity { expire(now: now) }
            guard list.count < perKey, total < capacity else {
                providers[key] = list.isEmpty ? nil : list
                return false
            }
            list.append(record)
            total += 1
        }
        providers[key] = list
        return true
    }

    mutating func expire(now: ContinuousClock.Instant = .now) {
        providers = providers.compactMapValues { list in
            let live = list.filter { $0.expires > now }
            return live.isEmpty ? nil : live
        }
        total = providers.values.reduce(0) { $0 + $1.count }
    }
}
