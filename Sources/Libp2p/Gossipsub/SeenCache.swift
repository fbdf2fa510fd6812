/// Message IDs seen recently (gossipsub `seen_ttl`, 2 minutes): a message seen again within the window is
/// a duplicate, neither delivered nor forwarded. Entries expire in insertion order, so a queue suffices.
struct SeenCache {
    let ttl: Duration
    private var expiries: [[UInt8]: ContinuousClock.Instant] = [:]
    private var order: [([UInt8], ContinuousClock.Instant)] = []
    private var head = 0

    init(ttl: Duration) { self.ttl = ttl }

    var count: Int { expiries.count }

    func contains(_ id: [UInt8]) -> Bool { expiries[id] != nil }

    /// Records `id`; false if it was already there.
    @discardableResult
    mutating func insert(_ id: [UInt8], now: ContinuousClock.Instant) -> Bool {
        sweep(now: now)
        guard expiries[id] == nil else { return false }
        expiries[id] = now + ttl
        order.append((id, now + ttl))
        return true
    }

    /// Forgets every ID whose time is up.
    mutating func sweep(now: ContinuousClock.Instant) {
        while head < order.count, order[head].1 <= now {
            if expiries[order[head].0] == order[head].1 { expiries.removeValue(forKey: order[head].0) }
            head += 1
        }
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
