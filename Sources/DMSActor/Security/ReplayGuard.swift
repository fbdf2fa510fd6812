import DMSCore
import Synchronization

/// Remembers (sender key, nonce) of accepted messages until they expire, so a captured envelope cannot
/// be delivered twice. Bounded: entries are dropped when their message expires, and beyond `capacity`
/// the earliest-expiring entries go first (their messages are the closest to being refused anyway).
final class ReplayGuard: Sendable {
    struct Key: Hashable {
        let sender: ByteKey
        let nonce: UInt64
    }

    private struct State {
        var seen: [Key: UInt64] = [:]
        var nextSweep: UInt64 = 0
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 1 << 20) { self.capacity = capacity }

    /// Records the message; false when it was already seen and has not expired.
    func admit(sender: [UInt8], nonce: UInt64, expiry: UInt64, now: UInt64) -> Bool {
        state.withLock { state in
            if now >= state.nextSweep || state.seen.count >= capacity {
                state.seen = state.seen.filter { $0.value >= now }
                if state.seen.count >= capacity {
                    let keep = state.seen.sorted { $0.value > $1.value }.prefix(capacity / 2)
                    state.seen = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
                }
                state.nextSweep = now + 5_000_000_000
            }
            let key = Key(sender: ByteKey(sender), nonce: nonce)
            if let existing = state.seen[key], existing >= now { return false }
            state.seen[key] = expiry
            return true
        }
    }

    var count: Int { state.withLock { $0.seen.count } }
}
