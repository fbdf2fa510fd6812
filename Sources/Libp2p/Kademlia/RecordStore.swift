/// The values this node holds for others, each kept `maxAge` after it arrived (go-libp2p-kad-dht keeps
/// them 36 h), at most `capacity` of them so a flood of puts cannot exhaust memory.
struct RecordStore: Sendable {
    struct Stored: Sendable {
        var record: KademliaMessage.Record
        var received: ContinuousClock.Instant
    }

    let maxAge: Duration
    let capacity: Int
    private var records: [[UInt8]: Stored] = [:]

    init(maxAge: Duration = .seconds(36 * 3600), capacity: Int = 65536) {
        self.maxAge = maxAge
        self.capacity = capacity
    }

    var count: Int { records.count }

    func get(_ key: [UInt8], now: ContinuousClock.Instant = .now) -> KademliaMessage.Record? {
        guard let stored = records[key], now - stored.received < maxAge else { return nil }
        return stored.record
    }

    /// False when the store is full of other keys.
    @discardableResult
    mutating func put(_ record: KademliaMessage.Record, now: ContinuousClock.Instant = .now) -> Bool {
        if records[record.key] == nil, records.count >= capacity {
            expire(now: now)
            guard records.count < capacity else { return false }
        }
        records[record.key] = Stored(record: record, received: now)
        return true
    }

    mutating func expire(now: ContinuousClock.Instant = .now) {
        records = records.filter { now - $0.value.received < maxAge }
    }
}
