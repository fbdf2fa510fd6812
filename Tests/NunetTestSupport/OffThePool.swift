import Foundation

/// Runs CPU-heavy synchronous work (standard-cost scrypt, for instance) on a thread of its own, so it does
/// not hold one of the few cooperative threads every other test in the process needs.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
