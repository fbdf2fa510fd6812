import DMSExecutor
import Foundation

/// Runs WASM modules under WasmKit, each execution in its own `nunet-wasm` child process (see
/// `WasmRunnerInvocation` for what it is given): a WasmKit instance cannot be stopped from another thread, but a
/// process can be killed, which is what timeouts and cancellation need. Memory is capped at the allocation's RAM,
/// CPU by the workload's fuel; the guest's stdout and stderr (and the runner's diagnostics, such as a trap's
/// backtrace) go to stdout.log and stderr.log in the request's log directory, truncated at start. The module is
/// checked before anything is spawned (see `WasmWorkload.validate`).
///
/// Results: the guest's exit code (0 is success); -1 when the guest produced none (a trap, out of fuel or memory,
/// a module that could not start, a kill), with `error` saying why.
public actor WasmExecutor: TableBackedExecutor {
    public nonisolated let name = "wasm"
    /// The `nunet-wasm` executable this executor spawns.
    public nonisolated let runner: URL

    /// The linear-memory cap when the allocation asks for no RAM.
    public static let defaultMemoryLimit: UInt64 = 256 << 20

    public struct Execution {
        let child: ChildProcess
        var timeout: Task<Void, Never>?
        var exit: ChildProcess.Exit?
    }

    public var executions = ExecutionTable<Execution>()
    /// Fuel used by every run that ended under this executor, for the node's metrics.
    public private(set) var fuelConsumed: UInt64 = 0

    /// - Parameter runner: the `nunet-wasm` executable; nil uses `defaultRunner()`.
    public init(runner: URL? = nil) {
        self.runner = runner ?? Self.defaultRunner()
    }

    /// `NUNET_WASM_RUNNER` when set, else `nunet-wasm` beside the running executable, where it is installed.
    public static func defaultRunner() -> URL {
        if let path = ProcessInfo.processInfo.environment["NUNET_WASM_RUNNER"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        #if os(Linux)
            let executable = URL(
                fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                    ?? CommandLine.arguments[0])
        #else
            let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        #endif
        return executable.deletingLastPathComponent().appendingPathComponent("nunet-wasm")
    }

    public func start(_ request: ExecutionRequest) async throws(ExecutorError) {
        let id = request.executionID
        try executions.ensureAbsent(id)
        guard case .wasm(let workload) = request.workload else {
            throw .invalidWorkload("the wasm executor runs WASM modules only")
        }
        try workload.validate()
        guard FileManager.default.isExecutableFile(atPath: runner.path) else {
            throw .failed(
                "the WASM runner is missing: no executable at \(runner.path) (install nunet-wasm beside nunet, or set NUNET_WASM_RUNNER)"
            )
        }

        let scratch = try Self.makeScratchDirectory()
        let child: ChildProcess
        do {
            try FileManager.default.createDirectory(at: request.logDirectory, withIntermediateDirectories: true)
            let modulePath = scratch.appendingPathComponent("module.wasm")
            try Data(workload.module).write(to: modulePath)
            var invocation = WasmRunnerInvocation(module: modulePath.path)
            invocation.entry = workload.entry
            invocation.fuel = workload.fuel
            invocation.memoryLimit = request.resources.ram == 0 ? Self.defaultMemoryLimit : request.resources.ram
            invocation.mounts = request.mounts
            invocation.environment = workload.environment
            invocation.resultPath = scratch.appendingPathComponent("result.json").path
            invocation.arguments = workload.args
            child = try ChildProcess.spawn(
                runner.path, arguments: invocation.commandLine,
                stdout: request.logDirectory.appendingPathComponent(LogStream.stdout.fileName).path,
                stderr: request.logDirectory.appendingPathComponent(LogStream.stderr.fileName).path)
        } catch {
            try? FileManager.default.removeItem(at: scratch)
            throw (error as? ExecutorError) ?? .failed("cannot prepare execution \(id): \(error)")
        }

        try executions.insert(id, handle: Execution(child: child), logDirectory: request.logDirectory)
        if let timeout = request.timeout {
            let task = Task {
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                self.kill(id, reason: "timed out after \(HumanReadable.duration(timeout))")
            }
            executions.updateHandle(id) { $0.timeout = task }
        }
        child.waitInBackground { exit in
            // On the waiting thread: read the runner's report there rather than on the actor.
            let resultFile = scratch.appendingPathComponent("result.json")
            let outcome = (try? Data(contentsOf: resultFile)).flatMap {
                try? JSONDecoder().decode(WasmRunOutcome.self, from: $0)
            }
            try? FileManager.default.removeItem(at: scratch)
            Task { await self.ended(id, exit: exit, outcome: outcome) }
        }
    }

    /// Wall time always; CPU time and peak RSS of the runner process (WasmKit included) from /proc while it runs
    /// and from `wait4` once it ended.
    public func stats(_ executionID: String) async throws(ExecutorError) -> ExecutionStats {
        let entry = try executions.entry(executionID)
        var stats = ExecutionStats(memoryBytes: 0, cpuSeconds: 0, wallSeconds: entry.wallSeconds)
        if let exit = entry.handle.exit {
            stats.cpuSeconds = exit.cpuSeconds
            stats.memoryBytes = exit.peakMemoryBytes
        } else {
            #if os(Linux)
                if let usage = entry.handle.child.currentUsage() {
                    stats.cpuSeconds = usage.cpuSeconds
                    stats.memoryBytes = usage.peakMemoryBytes
                }
            #endif
        }
        return stats
    }

    public func exec(_ executionID: String, command: [String]) async throws(ExecutorError) -> CommandResult {
        _ = try executions.entry(executionID)
        throw .unsupported("command health checks: a WASM module has no shell")
    }

    public func kill(_ executionID: String, reason: String) {
        guard let entry = try? executions.entry(executionID), entry.result == nil else { return }
        entry.handle.child.kill(reason: reason)
    }

    private func ended(_ executionID: String, exit: ChildProcess.Exit, outcome: WasmRunOutcome?) {
        fuelConsumed &+= outcome?.fuelUsed ?? 0
        executions.updateHandle(executionID) { execution in
            execution.timeout?.cancel()
            execution.exit = exit
        }
        executions.finish(executionID, with: Self.result(of: exit, outcome: outcome))
    }

    private static func result(of exit: ChildProcess.Exit, outcome: WasmRunOutcome?) -> ExecutionResult {
        if let reason = exit.killReason { return ExecutionResult(exitCode: -1, killed: true, error: reason) }
        if let signal = exit.signal {
            return ExecutionResult(
                exitCode: -1, error: "nunet-wasm was killed by signal \(signal) (\(String(cString: strsignal(signal))))"
            )
        }
        if let outcome { return outcome.executionResult }
        let status = exit.exitStatus.map { "exited with status \($0)" } ?? "could not be waited for"
        return ExecutionResult(exitCode: -1, error: "nunet-wasm \(status) without reporting a result (see stderr.log)")
    }

    private static func makeScratchDirectory() throws(ExecutorError) -> URL {
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("nunet-wasm-XXXXXX").path
        var bytes = Array(template.utf8CString)
        guard let created = mkdtemp(&bytes) else {
            throw .failed("cannot create a scratch directory in \(template): \(String(cString: strerror(errno)))")
        }
        return URL(fileURLWithPath: String(cString: created))
    }
}
