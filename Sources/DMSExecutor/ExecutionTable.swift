import Foundation

/// The executions one executor knows: their handles, when they started and ended, how they ended, and the callers
/// waiting for that. Kept by value inside the executor's actor, which serialises every access, so the protocol's
/// bookkeeping rules (unknown IDs, duplicates, several waiters) are written once for every executor.
public struct ExecutionTable<Handle> {
    public struct Entry {
        public var handle: Handle
        public let logDirectory: URL
        public let startedAt: ContinuousClock.Instant
        public var endedAt: ContinuousClock.Instant?
        public var result: ExecutionResult?
        fileprivate var waiters: [CheckedContinuation<ExecutionResult, Never>] = []

        public var status: ExecutionStatus {
            guard let result else { return .running }
            return result.succeeded ? .success : .failed
        }

        /// Seconds from start to end, or to now while running.
        public var wallSeconds: Double {
            let elapsed = (endedAt ?? .now) - startedAt
            let (seconds, attoseconds) = elapsed.components
            return Double(seconds) + Double(attoseconds) / 1e18
        }
    }

    private var entries: [String: Entry] = [:]

    public init() {}

    public var ids: [String] { Array(entries.keys) }

    /// The executions in the order they started.
    public var summaries: [ExecutionSummary] {
        entries.sorted { $0.value.startedAt < $1.value.startedAt }
            .map { ExecutionSummary(executionID: $0.key, running: $0.value.result == nil) }
    }

    public func ensureAbsent(_ id: String) throws(ExecutorError) {
        guard entries[id] == nil else { throw .alreadyExists(id) }
    }

    public mutating func insert(_ id: String, handle: Handle, logDirectory: URL) throws(ExecutorError) {
        try ensureAbsent(id)
        entries[id] = Entry(handle: handle, logDirectory: logDirectory, startedAt: .now)
    }

    public func entry(_ id: String) throws(ExecutorError) -> Entry {
        guard let entry = entries[id] else { throw .unknownExecution(id) }
        return entry
    }

    /// Whether the execution ended; an execution no longer known counts as ended.
    public func hasEnded(_ id: String) -> Bool {
        entries[id].map { $0.result != nil } ?? true
    }

    public mutating func updateHandle(_ id: String, _ update: (inout Handle) -> Void) {
        guard entries[id] != nil else { return }
        update(&entries[id]!.handle)
    }

    /// Parks a caller of `wait` until the execution ends; the caller checked that it still runs.
    public mutating func addWaiter(_ id: String, _ continuation: CheckedContinuation<ExecutionResult, Never>) {
        entries[id]?.waiters.append(continuation)
    }

    /// Records how the execution ended and wakes its waiters. The first result sticks: returns false (and changes
    /// nothing) if it had already ended.
    @discardableResult
    public mutating func finish(_ id: String, with result: ExecutionResult) -> Bool {
        guard var entry = entries[id], entry.result == nil else { return false }
        entry.result = result
        entry.endedAt = .now
        let waiters = entry.waiters
        entry.waiters = []
        entries[id] = entry
        for waiter in waiters { waiter.resume(returning: result) }
        return true
    }

    /// Forgets an execution if it has ended.
    public mutating func remove(_ id: String) {
        if entries[id]?.result != nil { entries[id] = nil }
    }
}
