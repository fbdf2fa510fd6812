import Crypto
import DMSCore
import Foundation
import Synchronization

/// Checks presented tokens against `RESTTokens`' file, re-reading it only when its modification time or
/// size changed, so a request costs one `stat` and a hash. An unreadable file opens nothing.
final class TokenVerifier: Sendable {
    private struct Cache {
        var stamp: (modified: timespec, size: off_t)?
        var digests: [[UInt8]] = []
    }

    let tokens: RESTTokens
    private let cache = Mutex(Cache())

    init(tokens: RESTTokens) { self.tokens = tokens }

    /// Whether `token` is one of the tokens in the file now.
    func accepts(_ token: String) -> Bool {
        let presented = Array(SHA256.hash(data: Array(token.utf8)))
        return currentDigests().contains { Self.constantTimeEqual($0, presented) }
    }

    private func currentDigests() -> [[UInt8]] {
        var status = stat()
        guard stat(tokens.path, &status) == 0 else {
            cache.withLock { $0 = Cache() }
            return []
        }
        let stamp = (modified: status.st_mtim, size: status.st_size)
        if let digests = cache.withLock({ cache -> [[UInt8]]? in
            guard let cached = cache.stamp, cached.size == stamp.size, cached.modified.tv_sec == stamp.modified.tv_sec,
                cached.modified.tv_nsec == stamp.modified.tv_nsec
            else { return nil }
            return cache.digests
        }) {
            return digests
        }
        let digests = ((try? tokens.list()) ?? []).compactMap { Hex.decode($0.sha256) }
        cache.withLock { $0 = Cache(stamp: stamp, digests: digests) }
        return digests
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
