import Synchronization

/// Counts the open connections of one server so that a connection over the limit can be refused at once,
/// instead of left waiting in a queue that a hostile client can fill.
final class ConnectionLimiter: Sendable {
    let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    /// Takes a place for a new connection; false when all `limit` places are taken.
    func acquire() -> Bool {
        var current = open.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = open.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Gives back the place of a connection that closed.
    func release() { open.subtract(1, ordering: .acquiringAndReleasing) }

    /// Connections holding a place now.
    var count: Int { open.load(ordering: .relaxed) }
}
