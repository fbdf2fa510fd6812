import Foundation

/// The parts of the Executor protocol that only look up the execution table, shared by the executors that
/// keep one (waiting, cancelling, logs, status, listing, removing, cleaning up); each executor says how to
/// kill a run.
public protocol TableBackedExecutor: Actor, Executor {
    associatedtype Handle
    var executions: ExecutionTable<Handle> { get set }
    /// Ends a running execution as killed with `reason`; no-op for an ended one.
    func kill(_ executionID: String, reason: String)
}

extension TableBackedExecutor {
    public func wait(_ executionID: String) async throws(ExecutorError) -> ExecutionResult {
        if let result = try executions.entry(executionID).result { return result }
        return await withCheckedContinuation { executions.addWaiter(executionID, $0) }
    }

    public func cancel(_ executionID: String, reason: String) async throws(ExecutorError) {
        _ = try executions.entry(executionID)
        kill(executionID, reason: "cancelled: \(reason)")
    }

    public func logs(_ executionID: String, stream: LogStream, follow: Bool) async throws(ExecutorError)
        -> AsyncThrowingStream<[UInt8], any Error>
    {
        let file = try executions.entry(executionID).logDirectory.appendingPathComponent(stream.fileName)
        return LogFollower.stream(file, follow: follow) { [weak self] in
            await self?.hasEnded(executionID) ?? true
        }
    }

    public func status(_ executionID: String) async throws(ExecutorError) -> ExecutionStatus {
        try executions.entry(executionID).status
    }

    public func list() async -> [ExecutionSummary] { executions.summaries }

    public func hasEnded(_ executionID: String) -> Bool { executions.hasEnded(executionID) }

    public func remove(_ executionID: String) async throws(ExecutorError) {
        if try executions.entry(executionID).result == nil {
            kill(executionID, reason: "cancelled: removed")
            _ = try? await wait(executionID)
        }
        executions.remove(executionID)
    }

    public func cleanup() async {
        let ids = executions.ids
        for id in ids { kill(id, reason: "cancelled: the executor is shutting down") }
        for id in ids {
            _ = try? await wait(id)
            executions.remove(id)
        }
    }
}
