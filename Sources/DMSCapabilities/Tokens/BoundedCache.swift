import Crypto
import Synchronization

/// The SHA-256 of some bytes, as a cache key.
struct ContentDigest: Hashable, Sendable {
    let a: UInt64, b: UInt64, c: UInt64, d: UInt64

    init(_ bytes: [UInt8]) {
        (a, b, c, d) = SHA256.hash(data: bytes).withUnsafeBytes { raw in
            (
                raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            )
        }
    }
}

/// A bounded map evicting the oldest entry when full. Keyed by `ContentDigest` it remembers verified
/// tokens and parsed token lists, so repeated inputs cost one hash.
final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var values: [Key: Value] = [:]
        var order: [Key] = []
        var next = 0
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) { self.capacity = max(1, capacity) }

    subscript(key: Key) -> Value? { state.withLock { $0.values[key] } }

    func insert(_ value: Value, for key: Key) {
        state.withLock { state in
            if state.values.updateValue(value, forKey: key) != nil { return }
            if state.order.count < capacity {
                state.order.append(key)
            } else {
                state.values.removeValue(forKey: state.order[state.next])
                state.order[state.next] = key
                state.next = (state.next + 1) % capacity
            }
        }
    }

    var count: Int { state.withLock { $0.values.count } }
}
