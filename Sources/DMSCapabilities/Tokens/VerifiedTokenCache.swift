import Crypto
import Synchronization

/// Hashes of tokens whose signatures (their own and their chain's) were verified, so a token seen again
/// costs a hash instead of signature checks. Bounded: the oldest entries are evicted first. Only
/// signatures are cached; expiry, depth, revocation and capability rules are checked every time.
final class VerifiedTokenCache: Sendable {
    struct Key: Hashable {
        let a: UInt64, b: UInt64, c: UInt64, d: UInt64
    }

    private struct State {
        var members = Set<Key>()
        var order: [Key] = []
        var next = 0
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) { self.capacity = max(1, capacity) }

    static func key(for token: CapabilityToken) -> Key {
        SHA256.hash(data: token.encoding).withUnsafeBytes { raw in
            Key(
                a: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                b: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                c: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                d: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        }
    }

    func contains(_ key: Key) -> Bool { state.withLock { $0.members.contains(key) } }

    func insert(_ key: Key) {
        state.withLock { state in
            guard state.members.insert(key).inserted else { return }
            if state.order.count < capacity {
                state.order.append(key)
            } else {
                state.members.remove(state.order[state.next])
                state.order[state.next] = key
                state.next = (state.next + 1) % capacity
            }
        }
    }

    var count: Int { state.withLock { $0.members.count } }
}
