import DMSExecutor
import Testing

@testable import DMSExecutorWasm

/// The runner's command line and result file, the contract between the executor and `nunet-wasm`.
@Suite struct WasmRunnerProtocolTests {
    @Test func theCommandLineRoundTrips() throws {
        var invocation = WasmRunnerInvocation(module: "/tmp/x/module.wasm")
        invocation.entry = "run"
        invocation.fuel = 1000
        invocation.memoryLimit = 1 << 20
        invocation.mounts = [
            Mount(hostPath: "/srv/in=1", guestPath: "/in", readOnly: true),
            Mount(hostPath: "/srv/out", guestPath: "/out"),
        ]
        invocation.environment = ["B": "2=two", "A": "1"]
        invocation.resultPath = "/tmp/x/result.json"
        invocation.arguments = ["--flag", "--", "value"]
        #expect(
            invocation.commandLine == [
                "--module", "/tmp/x/module.wasm", "--entry", "run", "--fuel", "1000", "--memory-limit", "1048576",
                "--dir-ro", "/in=/srv/in=1", "--dir", "/out=/srv/out", "--env", "A=1", "--env", "B=2=two",
                "--result", "/tmp/x/result.json", "--", "--flag", "--", "value",
            ])
        #expect(try WasmRunnerInvocation(parsing: invocation.commandLine) == invocation)
    }

    @Test func theDefaultsAreACommandWithoutLimits() throws {
        let invocation = try WasmRunnerInvocation(parsing: ["--module", "hello.wasm", "a", "b"])
        #expect(invocation.entry == "_start")
        #expect(invocation.fuel == nil && invocation.memoryLimit == nil && invocation.resultPath == nil)
        #expect(invocation.arguments == ["a", "b"])
    }

    @Test func badCommandLinesAreRefused() {
        #expect(throws: WasmRunnerInvocation.UsageError.self) { try WasmRunnerInvocation(parsing: []) }
        #expect(throws: WasmRunnerInvocation.UsageError.self) {
            try WasmRunnerInvocation(parsing: ["--module", "m", "--fuel", "lots"])
        }
        #expect(throws: WasmRunnerInvocation.UsageError.self) {
            try WasmRunnerInvocation(parsing: ["--module", "m", "--dir", "/no-host"])
        }
        #expect(throws: WasmRunnerInvocation.UsageError.self) { try WasmRunnerInvocation(parsing: ["--module"]) }
        #expect(throws: WasmRunnerInvocation.UsageError.self) {
            try WasmRunnerInvocation(parsing: ["--module", "m", "--verbose", "yes"])
        }
    }

    @Test func outcomesMapToResults() {
        func result(_ end: WasmRunOutcome.End, refused: UInt64? = nil) -> ExecutionResult {
            WasmRunOutcome(end: end, fuel: 500, memoryLimit: 1 << 20, refusedMemory: refused).executionResult
        }
        #expect(result(.exited(code: 0)) == ExecutionResult(exitCode: 0))
        #expect(result(.exited(code: 0), refused: 2 << 20) == ExecutionResult(exitCode: 0))
        #expect(result(.exited(code: 4)) == ExecutionResult(exitCode: 4))
        #expect(
            result(.exited(code: 4), refused: 2 << 20)
                == ExecutionResult(
                    exitCode: 4, error: "out of memory: the module needs 2 MiB, the allocation allows 1 MiB"))
        #expect(result(.outOfFuel) == ExecutionResult(exitCode: -1, error: "out of fuel (budget 500)"))
        #expect(
            result(.trapped(reason: "integer divide by zero"))
                == ExecutionResult(exitCode: -1, error: "trap: integer divide by zero"))
        #expect(
            result(.failed(message: "cannot instantiate")) == ExecutionResult(exitCode: -1, error: "cannot instantiate")
        )
    }

    @Test func sizesAndDurationsReadWell() {
        #expect(HumanReadable.bytes(256 << 20) == "256 MiB")
        #expect(HumanReadable.bytes(2 << 30) == "2 GiB")
        #expect(HumanReadable.bytes(65536 * 101) == "6464 KiB")
        #expect(HumanReadable.bytes(1000) == "1000 bytes")
        #expect(HumanReadable.duration(.seconds(2)) == "2s")
        #expect(HumanReadable.duration(.milliseconds(250)) == "250ms")
        #expect(HumanReadable.duration(.milliseconds(1500)) == "1.5s")
        #expect(HumanReadable.duration(.milliseconds(2050)) == "2.05s")
    }
}
