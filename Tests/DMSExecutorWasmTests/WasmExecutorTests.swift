import DMSCore
import DMSExecutor
import Foundation
import NunetTestSupport
import Testing

@testable import DMSExecutorWasm

@Suite struct WasmExecutorTests {
    let directory = TemporaryDirectory("wasm-executor")
    let executor = WasmExecutor(runner: testRunner)

    private func run(_ request: ExecutionRequest) async throws -> ExecutionResult {
        try await executor.start(request)
        return try await executor.wait(request.executionID)
    }

    private func log(_ id: String, _ stream: LogStream = .stdout) async throws -> String {
        try await collect(executor.logs(id, stream: stream, follow: false))
    }

    @Test func helloOutputLandsInStdoutLog() async throws {
        let result = try await run(wasmRequest("hello", WasmFixtures.print("Hello from WASM!\n"), in: directory))
        #expect(result == ExecutionResult(exitCode: 0))
        #expect(try await executor.status("hello") == .success)
        #expect(try await log("hello") == "Hello from WASM!\n")
        #expect(try await log("hello", .stderr) == "")
    }

    @Test func stderrOutputLandsInStderrLog() async throws {
        let result = try await run(wasmRequest("err", WasmFixtures.print("oops\n", fd: 2), in: directory))
        #expect(result.succeeded)
        #expect(try await log("err", .stderr) == "oops\n")
    }

    @Test func nonZeroExitCodeFails() async throws {
        let result = try await run(wasmRequest("exit3", WasmFixtures.print("bye\n", exitCode: 3), in: directory))
        #expect(result == ExecutionResult(exitCode: 3))
        #expect(try await executor.status("exit3") == .failed)
    }

    @Test func argumentsAndEnvironmentReachTheGuest() async throws {
        let request = wasmRequest(
            "args", WasmFixtures.countArguments, in: directory, args: ["a", "b"],
            environment: ["GREETING": "hi", "OTHER": "x"])
        // argv is the module's name, a and b: 3 × 10, plus 2 variables.
        #expect(try await run(request).exitCode == 32)
    }

    @Test func anotherEntryReturnsItsExitCode() async throws {
        let request = wasmRequest("entry", WasmFixtures.entryReturning(7, name: "run"), in: directory, entry: "run")
        #expect(try await run(request) == ExecutionResult(exitCode: 7))
    }

    @Test func trapFailsWithTheTrap() async throws {
        let result = try await run(wasmRequest("trap", WasmFixtures.unreachable, in: directory))
        #expect(result == ExecutionResult(exitCode: -1, error: "trap: unreachable"))
        #expect(try await log("trap", .stderr).contains("Trap: unreachable"))
    }

    @Test func runningOutOfFuelFails() async throws {
        let spin = WasmFixtures.command(WasmFixtures.spin)
        let result = try await run(wasmRequest("fuel", spin, in: directory, fuel: 100_000))
        #expect(result == ExecutionResult(exitCode: -1, error: "out of fuel (budget 100000)"))
    }

    @Test func growingPastTheRAMFailsAsOutOfMemory() async throws {
        let request = wasmRequest("grow", WasmFixtures.grow(pages: 100), in: directory, ram: 1 << 20)
        let result = try await run(request)
        #expect(result.exitCode == -1)
        #expect(
            result.error
                == "out of memory: the module needs 6464 KiB, the allocation allows 1 MiB (trap: unreachable)")
    }

    @Test func aGuestThatCopesWithARefusedGrowthSucceeds() async throws {
        let request = wasmRequest("cope", WasmFixtures.grow(pages: 100, tolerant: true), in: directory, ram: 1 << 20)
        #expect(try await run(request).succeeded)
    }

    @Test func growingWithinTheRAMSucceeds() async throws {
        let request = wasmRequest("fits", WasmFixtures.grow(pages: 10), in: directory, ram: 1 << 20)
        #expect(try await run(request).succeeded)
    }

    @Test func anInitialMemoryPastTheRAMFailsAsOutOfMemory() async throws {
        let module = WasmFixtures.command(memoryPages: 100, "")
        let result = try await run(wasmRequest("initial", module, in: directory, ram: 1 << 20))
        #expect(
            result
                == ExecutionResult(
                    exitCode: -1, error: "out of memory: the module needs 6400 KiB, the allocation allows 1 MiB"))
    }

    @Test func zeroRAMMeansTheDefaultCap() async throws {
        let pages = Int(WasmExecutor.defaultMemoryLimit >> 16)  // one page more than the cap, with the first
        let result = try await run(wasmRequest("default", WasmFixtures.grow(pages: pages), in: directory))
        #expect(
            result.error
                == "out of memory: the module needs 262208 KiB, the allocation allows 256 MiB (trap: unreachable)")
    }

    @Test func aTimeoutKillsTheExecution() async throws {
        let spin = WasmFixtures.command(WasmFixtures.spin)
        let result = try await run(wasmRequest("slow", spin, in: directory, fuel: unlimitedFuel, timeout: .seconds(1)))
        #expect(result == ExecutionResult(exitCode: -1, killed: true, error: "timed out after 1s"))
        #expect(try await executor.status("slow") == .failed)
    }

    @Test func cancelKillsTheExecution() async throws {
        try await executor.start(
            wasmRequest("spin", WasmFixtures.command(WasmFixtures.spin), in: directory, fuel: unlimitedFuel))
        #expect(try await executor.status("spin") == .running)
        try await executor.cancel("spin", reason: "test over")
        #expect(
            try await executor.wait("spin")
                == ExecutionResult(exitCode: -1, killed: true, error: "cancelled: test over"))
        // Cancelling an ended execution changes nothing.
        try await executor.cancel("spin", reason: "again")
        #expect(try await executor.wait("spin").error == "cancelled: test over")
    }

    @Test func severalCallersWaitForOneExecution() async throws {
        try await executor.start(
            wasmRequest("shared", WasmFixtures.command(WasmFixtures.spin), in: directory, fuel: unlimitedFuel))
        let executor = self.executor
        async let first = executor.wait("shared")
        async let second = executor.wait("shared")
        async let third = executor.wait("shared")
        try await Task.sleep(for: .milliseconds(100))
        try await executor.cancel("shared", reason: "done")
        let results = try await [first, second, third]
        #expect(results.allSatisfy { $0.killed && $0.error == "cancelled: done" })
    }

    @Test func unknownExecutionsAreRefused() async throws {
        let unknown = ExecutorError.unknownExecution("nope")
        await #expect(throws: unknown) { try await executor.wait("nope") }
        await #expect(throws: unknown) { try await executor.cancel("nope", reason: "x") }
        await #expect(throws: unknown) { try await executor.status("nope") }
        await #expect(throws: unknown) { try await executor.stats("nope") }
        await #expect(throws: unknown) { try await executor.logs("nope", stream: .stdout, follow: false) }
        await #expect(throws: unknown) { try await executor.exec("nope", command: ["true"]) }
        await #expect(throws: unknown) { try await executor.remove("nope") }
    }

    @Test func aSecondStartWithTheSameIDIsRefused() async throws {
        let request = wasmRequest("twice", WasmFixtures.command(WasmFixtures.spin), in: directory, fuel: unlimitedFuel)
        try await executor.start(request)
        await #expect(throws: ExecutorError.alreadyExists("twice")) { try await executor.start(request) }
        await executor.cleanup()
        #expect(await executor.list().isEmpty)
    }

    @Test func invalidWorkloadsAreRefusedAtStart() async throws {
        do {
            try await executor.start(wasmRequest("garbage", [0, 1, 2, 3], in: directory))
            Issue.record("garbage started")
        } catch {
            guard case .invalidWorkload(let reason) = error else { throw error }
            #expect(reason.hasPrefix("the module does not parse"))
        }
        await #expect(throws: ExecutorError.invalidWorkload("the module exports no function \"main\"")) {
            try await executor.start(wasmRequest("entry", WasmFixtures.unreachable, in: directory, entry: "main"))
        }
        await #expect(
            throws: ExecutorError.invalidWorkload(
                "the module imports env.host_call; the WASM executor provides only wasi_snapshot_preview1 functions")
        ) {
            try await executor.start(wasmRequest("foreign", WasmFixtures.foreignImport, in: directory))
        }
        await #expect(throws: ExecutorError.invalidWorkload("the wasm executor runs WASM modules only")) {
            try await executor.start(
                ExecutionRequest(
                    executionID: "noop", workload: .noop(NoopWorkload()), resources: .zero,
                    logDirectory: URL(fileURLWithPath: directory.file("logs-noop"))))
        }
        #expect(await executor.list().isEmpty)
    }

    @Test func aMissingRunnerIsNamed() async throws {
        let executor = WasmExecutor(runner: URL(fileURLWithPath: "/nonexistent/nunet-wasm"))
        do {
            try await executor.start(wasmRequest("hello", WasmFixtures.print("hi\n"), in: directory))
            Issue.record("started without a runner")
        } catch {
            #expect(error.description.contains("/nonexistent/nunet-wasm"))
        }
    }

    @Test func followingLogsEndsWhenTheExecutionEnds() async throws {
        try await executor.start(
            wasmRequest("follow", WasmFixtures.printThenSpin("started\n"), in: directory, fuel: unlimitedFuel))
        let stream = try await executor.logs("follow", stream: .stdout, follow: true)
        let collected = Task { try await collect(stream) }
        try await Task.sleep(for: .milliseconds(300))
        try await executor.cancel("follow", reason: "enough")
        #expect(try await collected.value == "started\n")
    }

    @Test func statsCoverTheRunningAndTheEndedExecution() async throws {
        try await executor.start(
            wasmRequest("busy", WasmFixtures.command(WasmFixtures.spin), in: directory, fuel: unlimitedFuel))
        try await Task.sleep(for: .milliseconds(300))
        let running = try await executor.stats("busy")
        #expect(running.wallSeconds >= 0.3)
        #expect(running.cpuSeconds > 0)
        #expect(running.memoryBytes > 0)
        try await executor.cancel("busy", reason: "measured")
        _ = try await executor.wait("busy")
        let ended = try await executor.stats("busy")
        #expect(ended.wallSeconds >= running.wallSeconds)
        #expect(ended.cpuSeconds >= running.cpuSeconds)
        #expect(ended.memoryBytes > 0)
        try await Task.sleep(for: .milliseconds(50))
        #expect(try await executor.stats("busy").wallSeconds == ended.wallSeconds)
    }

    @Test func execIsUnsupported() async throws {
        _ = try await run(wasmRequest("exec", WasmFixtures.print("hi\n"), in: directory))
        await #expect(throws: ExecutorError.unsupported("command health checks: a WASM module has no shell")) {
            try await executor.exec("exec", command: ["true"])
        }
    }

    @Test func listAndRemove() async throws {
        _ = try await run(wasmRequest("one", WasmFixtures.print("1\n"), in: directory))
        try await executor.start(
            wasmRequest("two", WasmFixtures.command(WasmFixtures.spin), in: directory, fuel: unlimitedFuel))
        #expect(
            await executor.list() == [
                ExecutionSummary(executionID: "one", running: false),
                ExecutionSummary(executionID: "two", running: true),
            ])
        try await executor.remove("two")  // cancels it first
        try await executor.remove("one")
        #expect(await executor.list().isEmpty)
        await #expect(throws: ExecutorError.unknownExecution("one")) { try await executor.status("one") }
        // The logs stay.
        #expect(FileManager.default.fileExists(atPath: directory.file("logs-one/stdout.log")))
    }

    @Test func aWritableMountReceivesTheGuestsFile() async throws {
        let shared = directory.file("shared")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        let request = wasmRequest(
            "writer", WasmFixtures.writeFile("out.txt", "written by wasm\n"), in: directory,
            mounts: [Mount(hostPath: shared, guestPath: "/data")])
        #expect(try await run(request) == ExecutionResult(exitCode: 0))
        #expect(directory.read("shared/out.txt") == "written by wasm\n")
    }

    @Test func aReadOnlyMountIsReadableButNotWritable() async throws {
        directory.write("readonly/in.txt", "read by wasm\n")
        let mount = Mount(hostPath: directory.file("readonly"), guestPath: "/data", readOnly: true)
        let reader = wasmRequest("reader", WasmFixtures.catFile("in.txt"), in: directory, mounts: [mount])
        let writer = wasmRequest("writer", WasmFixtures.writeFile("out.txt", "nope\n"), in: directory, mounts: [mount])
        #if os(Linux) && (arch(x86_64) || arch(arm64))
            let enforceable = Landlock.abiVersion != nil
        #else
            let enforceable = false
        #endif
        if !enforceable {
            let result = try await run(writer)
            #expect(result.error?.hasPrefix("read-only mounts cannot be enforced") == true)
            return
        }
        #expect(try await run(reader) == ExecutionResult(exitCode: 0))
        #expect(try await log("reader") == "read by wasm\n")
        // 100 + WASI's EACCES (2): the kernel refused the file's creation.
        #expect(try await run(writer) == ExecutionResult(exitCode: 102))
        #expect(!FileManager.default.fileExists(atPath: directory.file("readonly/out.txt")))
    }

    @Test func aReadOnlyMountInsideAWritableOneIsRefused() async throws {
        directory.write("outer/inner/in.txt", "x")
        let mounts = [
            Mount(hostPath: directory.file("outer"), guestPath: "/outer"),
            Mount(hostPath: directory.file("outer/inner"), guestPath: "/inner", readOnly: true),
        ]
        let result = try await run(wasmRequest("nested", WasmFixtures.print("hi\n"), in: directory, mounts: mounts))
        #expect(result.exitCode == -1)
        #expect(result.error?.hasPrefix("read-only mounts cannot be enforced") == true)
        #if os(Linux)
            #expect(result.error?.contains("lies inside the writable mount") == true)
        #endif
        #expect(try await log("nested") == "")
    }

    @Test func aMissingMountDirectoryFailsTheExecution() async throws {
        let mount = Mount(hostPath: directory.file("absent"), guestPath: "/data")
        let result = try await run(wasmRequest("absent", WasmFixtures.print("hi\n"), in: directory, mounts: [mount]))
        #expect(result.exitCode == -1)
        #expect(result.error?.contains("absent") == true)
    }
}
