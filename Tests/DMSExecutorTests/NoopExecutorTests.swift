import DMSExecutor
import Foundation
import NunetTestSupport
import Testing

@Suite struct NoopExecutorTests {
    let directory = TemporaryDirectory("noop-executor")
    let executor = NoopExecutor()

    @Test func writesItsStdoutAndExitsWithItsCode() async throws {
        try await executor.start(noopRequest("ok", NoopWorkload(stdout: "hello\n"), in: directory))
        #expect(try await executor.wait("ok") == ExecutionResult(exitCode: 0))
        #expect(try await executor.status("ok") == .success)
        #expect(try await collect(executor.logs("ok", stream: .stdout, follow: false)) == "hello\n")
        #expect(try await collect(executor.logs("ok", stream: .stderr, follow: false)) == "")

        try await executor.start(noopRequest("bad", NoopWorkload(exitCode: 3), in: directory))
        #expect(try await executor.wait("bad") == ExecutionResult(exitCode: 3))
        #expect(try await executor.status("bad") == .failed)
    }

    @Test func runsForItsDuration() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        try await executor.start(noopRequest("timed", NoopWorkload(duration: .milliseconds(200)), in: directory))
        #expect(try await executor.status("timed") == .running)
        #expect(try await executor.wait("timed").succeeded)
        #expect(clock.now - started >= .milliseconds(200))
        #expect(try await executor.stats("timed").wallSeconds >= 0.2)
    }

    @Test func cancelKillsAWorkloadThatRunsForever() async throws {
        try await executor.start(noopRequest("forever", NoopWorkload(duration: nil), in: directory))
        let executor = self.executor
        async let first = executor.wait("forever")
        async let second = executor.wait("forever")
        try await Task.sleep(for: .milliseconds(50))
        try await executor.cancel("forever", reason: "stop")
        let killed = ExecutionResult(exitCode: -1, killed: true, error: "cancelled: stop")
        #expect(try await [first, second] == [killed, killed])
        try await executor.cancel("forever", reason: "again")  // ended: no-op
        #expect(try await executor.wait("forever") == killed)
    }

    @Test func aTimeoutKillsIt() async throws {
        try await executor.start(
            noopRequest("slow", NoopWorkload(duration: nil), in: directory, timeout: .milliseconds(100)))
        #expect(
            try await executor.wait("slow")
                == ExecutionResult(exitCode: -1, killed: true, error: "timed out after 100ms"))
    }

    @Test func followingLogsEndsWhenTheExecutionEnds() async throws {
        try await executor.start(noopRequest("follow", NoopWorkload(duration: nil, stdout: "line\n"), in: directory))
        let stream = try await executor.logs("follow", stream: .stdout, follow: true)
        let collected = Task { try await collect(stream) }
        try await Task.sleep(for: .milliseconds(100))
        try await executor.cancel("follow", reason: "done")
        #expect(try await collected.value == "line\n")
    }

    @Test func healthChecksFollowTheHealthFlag() async throws {
        try await executor.start(noopRequest("svc", NoopWorkload(duration: nil), in: directory))
        #expect(try await executor.exec("svc", command: ["check"]) == CommandResult(exitCode: 0, output: "ok"))
        await executor.setHealthy(false)
        #expect(try await executor.exec("svc", command: ["check"]) == CommandResult(exitCode: 1, output: "unhealthy"))
        try await executor.cancel("svc", reason: "done")
        await #expect(throws: ExecutorError.failed("execution svc is not running")) {
            try await executor.exec("svc", command: ["check"])
        }
        let sick = NoopExecutor(healthy: false)
        try await sick.start(noopRequest("svc", NoopWorkload(duration: nil), in: directory))
        #expect(try await sick.exec("svc", command: []).exitCode == 1)
        await sick.cleanup()
    }

    @Test func refusesUnknownIDsDuplicatesAndOtherWorkloads() async throws {
        let unknown = ExecutorError.unknownExecution("nope")
        await #expect(throws: unknown) { try await executor.wait("nope") }
        await #expect(throws: unknown) { try await executor.cancel("nope", reason: "x") }
        await #expect(throws: unknown) { try await executor.status("nope") }
        await #expect(throws: unknown) { try await executor.stats("nope") }
        await #expect(throws: unknown) { try await executor.logs("nope", stream: .stderr, follow: true) }
        await #expect(throws: unknown) { try await executor.exec("nope", command: []) }
        await #expect(throws: unknown) { try await executor.remove("nope") }

        let request = noopRequest("dup", NoopWorkload(duration: nil), in: directory)
        try await executor.start(request)
        await #expect(throws: ExecutorError.alreadyExists("dup")) { try await executor.start(request) }

        let wasm = ExecutionRequest(
            executionID: "wasm", workload: .wasm(WasmWorkload(module: [], fuel: 1)), resources: .zero,
            logDirectory: URL(fileURLWithPath: directory.file("wasm")))
        await #expect(throws: ExecutorError.invalidWorkload("the null executor runs noop workloads only")) {
            try await executor.start(wasm)
        }
        await executor.cleanup()
    }

    @Test func listRemoveAndCleanup() async throws {
        try await executor.start(noopRequest("a", NoopWorkload(), in: directory))
        _ = try await executor.wait("a")
        try await executor.start(noopRequest("b", NoopWorkload(duration: nil), in: directory))
        #expect(
            await executor.list() == [
                ExecutionSummary(executionID: "a", running: false), ExecutionSummary(executionID: "b", running: true),
            ])
        try await executor.remove("a")
        #expect(await executor.list() == [ExecutionSummary(executionID: "b", running: true)])
        try await executor.start(noopRequest("a", NoopWorkload(), in: directory))  // the ID is free again
        await executor.cleanup()
        #expect(await executor.list().isEmpty)
        await #expect(throws: ExecutorError.unknownExecution("b")) { try await executor.wait("b") }
    }

    @Test func removingARunningExecutionReleasesItsWaiters() async throws {
        try await executor.start(noopRequest("r", NoopWorkload(duration: nil), in: directory))
        let executor = self.executor
        let waiter = Task { try await executor.wait("r") }
        try await Task.sleep(for: .milliseconds(50))
        try await executor.remove("r")
        #expect(try await waiter.value == ExecutionResult(exitCode: -1, killed: true, error: "cancelled: removed"))
    }
}
