import Synchronization

/// Events counted by name for the node's metrics (GossipSub messages by outcome, DHT requests and lookups
/// by kind). Names come from a fixed set in the code that counts, so the table stays small.
public final class ProtocolCounters: Sendable {
    private let table = Mutex<[String: UInt64]>([:])

    public init() {}

    /// Counts by name.
    public var snapshot: [String: UInt64] { table.withLock { $0 } }

    func add(_ name: String, _ count: Int = 1) {
        guard count > 0 else { return }
        table.withLock { $0[name, default: 0] += UInt64(count) }
    }
}
