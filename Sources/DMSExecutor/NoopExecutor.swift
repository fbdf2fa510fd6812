import Foundation

/// Runs `NoopWorkload`s in-process, with the protocol's full semantics (waiters, cancellation, timeouts, logs,
/// health checks) but no real work: for tests, and for trying deployments without running anything. A workload
/// writes its `stdout` to stdout.log (stderr.log stays empty; both are truncated at start), waits its `duration`
/// (nil: until cancelled) and exits with its `exitCode`.
public actor NoopExecutor: TableBackedExecutor {
    public nonisolated let name = "null"

    public struct Execution {
        var work: Task<Void, Never>?
        var timeout: Task<Void, Never>?
    }

    public var executions = ExecutionTable<Execution>()
    private var healthy: Bool

    /// - Parameter healthy: whether command health checks (`exec`) pass; see `setHealthy(_:)`.
    public init(healthy: Bool = true) {
        self.healthy = healthy
    }

    /// Makes command health checks on running executions pass (exit 0, "ok") or fail (exit 1, "unhealthy") from
    /// now on, so that tests can drive supervision.
    public func setHealthy(_ healthy: Bool) {
        self.healthy = healthy
    }

    public func start(_ request: ExecutionRequest) async throws(ExecutorError) {
        let id = request.executionID
        try executions.ensureAbsent(id)
        guard case .noop(let workload) = request.workload else {
            throw .invalidWorkload("the null executor runs noop workloads only")
        }
        do {
            try FileManager.default.createDirectory(at: request.logDirectory, withIntermediateDirectories: true)
            try Data(workload.stdout.utf8).write(
                to: request.logDirectory.appendingPathComponent(LogStream.stdout.fileName))
            try Data().write(to: request.logDirectory.appendingPathComponent(LogStream.stderr.fileName))
        } catch {
            throw .failed("cannot write the logs of execution \(id): \(error)")
        }
        try executions.insert(id, handle: Execution(), logDirectory: request.logDirectory)
        let work = Task {
            if let duration = workload.duration {
                try? await Task.sleep(for: duration)
            } else {
                while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            }
            guard !Task.isCancelled else { return }
            self.end(id, with: ExecutionResult(exitCode: workload.exitCode))
        }
        var timeout: Task<Void, Never>?
        if let limit = request.timeout {
            timeout = Task {
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled else { return }
                self.kill(id, reason: "timed out after \(HumanReadable.duration(limit))")
            }
        }
        executions.updateHandle(id) { $0 = Execution(work: work, timeout: timeout) }
    }

    /// Wall time only: nothing runs, so there is no CPU time or memory to report.
    public func stats(_ executionID: String) async throws(ExecutorError) -> ExecutionStats {
        ExecutionStats(memoryBytes: 0, cpuSeconds: 0, wallSeconds: try executions.entry(executionID).wallSeconds)
    }

    public func exec(_ executionID: String, command: [String]) async throws(ExecutorError) -> CommandResult {
        guard try executions.entry(executionID).result == nil else {
            throw .failed("execution \(executionID) is not running")
        }
        return healthy ? CommandResult(exitCode: 0, output: "ok") : CommandResult(exitCode: 1, output: "unhealthy")
    }

    /// Ends a running execution as killed; nothing is left running, so it ends at once.
    public func kill(_ executionID: String, reason: String) {
        end(executionID, with: ExecutionResult(exitCode: -1, killed: true, error: reason))
    }

    private func end(_ executionID: String, with result: ExecutionResult) {
        guard executions.finish(executionID, with: result), let execution = try? executions.entry(executionID) else {
            return
        }
        execution.handle.work?.cancel()
        execution.handle.timeout?.cancel()
    }
}
