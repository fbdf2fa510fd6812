import DMSExecutor

/// What `nunet-wasm` reports about one run in its result file: how the guest ended, and what the executor needs
/// to explain a failure (the fuel budget, a memory growth the cap refused).
struct WasmRunOutcome: Codable, Equatable, Sendable {
    enum End: Codable, Equatable, Sendable {
        /// The entry returned, or the guest called `proc_exit`.
        case exited(code: Int32)
        /// The fuel budget ran out.
        case outOfFuel
        /// Execution trapped; WasmKit's reason, e.g. "unreachable".
        case trapped(reason: String)
        /// The module could not be loaded, confined, instantiated or started.
        case failed(message: String)
    }

    var end: End
    var fuel: UInt64?
    /// The fuel the run used (the budget less what remained), when fuel was metered.
    var fuelUsed: UInt64?
    var memoryLimit: UInt64?
    /// The size in bytes of the largest memory the cap refused, if any.
    var refusedMemory: UInt64?

    /// The executor's view. A guest that coped with a refused growth and exited 0 succeeded; any other failure
    /// after a refusal is reported as out of memory, since that is the likely cause.
    var executionResult: ExecutionResult {
        switch end {
        case .exited(let code):
            return ExecutionResult(exitCode: code, error: code == 0 ? nil : memoryShortage)
        case .outOfFuel:
            return ExecutionResult(exitCode: -1, error: fuel.map { "out of fuel (budget \($0))" } ?? "out of fuel")
        case .trapped(let reason):
            return ExecutionResult(
                exitCode: -1, error: memoryShortage.map { "\($0) (trap: \(reason))" } ?? "trap: \(reason)")
        case .failed(let message):
            return ExecutionResult(exitCode: -1, error: memoryShortage ?? message)
        }
    }

    private var memoryShortage: String? {
        guard let refusedMemory, let memoryLimit else { return nil }
        return
            "out of memory: the module needs \(HumanReadable.bytes(refusedMemory)), the allocation allows \(HumanReadable.bytes(memoryLimit))"
    }
}
