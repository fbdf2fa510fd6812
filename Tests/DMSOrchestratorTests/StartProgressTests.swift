import DMSCore
import DMSEnsemble
import DMSExecutor
import DMSOrchestrator
import Foundation
import Testing

/// An executor whose start takes a while and says what it is doing (as a Docker image pull does), then runs
/// the no-op workload.
private actor SlowStartingExecutor: Executor {
    nonisolated let name = "null"
    private let inner = NoopExecutor()
    static let progress = "pulling app:1: 1 of 2 layers, 1.0 of 4.0 MB"

    func start(_ request: ExecutionRequest) async throws(ExecutorError) {
        request.progress?(Self.progress)
        try? await Task.sleep(for: .milliseconds(2500))
        try await inner.start(request)
    }
    func wait(_ executionID: String) async throws(ExecutorError) -> ExecutionResult {
        try await inner.wait(executionID)
    }
    func cancel(_ executionID: String, reason: String) async throws(ExecutorError) {
        try await inner.cancel(executionID, reason: reason)
    }
    func logs(_ executionID: String, stream: LogStream, follow: Bool) async throws(ExecutorError)
        -> AsyncThrowingStream<[UInt8], any Error>
    { try await inner.logs(executionID, stream: stream, follow: follow) }
    func status(_ executionID: String) async throws(ExecutorError) -> ExecutionStatus {
        try await inner.status(executionID)
    }
    func stats(_ executionID: String) async throws(ExecutorError) -> ExecutionStats {
        try await inner.stats(executionID)
    }
    func list() async -> [ExecutionSummary] { await inner.list() }
    func exec(_ executionID: String, command: [String]) async throws(ExecutorError) -> CommandResult {
        try await inner.exec(executionID, command: command)
    }
    func remove(_ executionID: String) async throws(ExecutorError) { try await inner.remove(executionID) }
    func cleanup() async { await inner.cleanup() }
}

@Suite struct StartProgressTests {
    @Test func whatASlowStartIsDoingReachesTheManifestAndIsClearedOnceItRuns() async throws {
        let cluster = try await DeploymentCluster(
            providers: [DeploymentFlowTests.provider], executors: { [.null: SlowStartingExecutor()] })
        let node = cluster.orchestrator
        let id = try await node.registry.create(try EnsembleParser.parse(yaml: DeploymentFlowTests.task()), timeout: 20)
        var seen: String?
        for _ in 0..<100 where seen == nil {
            seen = try await node.registry.record(id).manifest.allocations["job"]?.progress
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(seen == SlowStartingExecutor.progress)
        let record = try await node.waitFor(id, [.completed, .failed])
        #expect(record.status == .completed, "\(record.reason)")
        #expect(record.manifest.allocations["job"]?.progress == nil)
    }
}
