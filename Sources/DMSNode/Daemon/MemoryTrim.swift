import Foundation
import ServiceLifecycle

/// Gives freed heap memory back to the system every half minute. glibc keeps what a burst of connections
/// freed (NIO buffers in per-thread arenas) mapped for reuse, so without this a daemon's memory after a load
/// spike stays at the spike's level for good; a trim of a quiet heap costs well under a millisecond.
public struct MemoryTrim: Service {
    static let interval: Duration = .seconds(30)

    #if os(Linux)
        private typealias Trim = @convention(c) (Int) -> Int32
        /// glibc's `malloc_trim`, which Swift's Glibc module does not declare.
        private static let trim: Trim? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim").map {
            unsafeBitCast($0, to: Trim.self)
        }
    #endif

    public init() {}

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: Self.interval)
                #if os(Linux)
                    _ = Self.trim?(0)
                #endif
            }
        }
    }
}
