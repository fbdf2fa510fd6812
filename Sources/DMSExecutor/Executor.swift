import DMSCore
import Foundation

/// Runs workloads for allocations. Every executor (WASM, Noop, later Docker) has this shape, so the
/// allocation actor drives them alike. Execution IDs are chosen by the caller and unique per executor.
public protocol Executor: Sendable {
    /// The executor's name as ensembles spell it (`wasm`, `null`).
    var name: String { get }

    /// Starts an execution; throws `.alreadyExists` if the ID is known, `.invalidWorkload` if the workload
    /// is not this executor's kind or cannot run (a module that does not parse, a missing entry).
    func start(_ request: ExecutionRequest) async throws(ExecutorError)

    /// Waits for the execution to end and returns how it ended. Throws `.unknownExecution` for an ID never
    /// started (or removed). Several callers may wait on one execution.
    func wait(_ executionID: String) async throws(ExecutorError) -> ExecutionResult

    /// Kills the execution; its result becomes `killed` with the reason. Cancelling an ended execution is a
    /// no-op.
    func cancel(_ executionID: String, reason: String) async throws(ExecutorError)

    /// The execution's output so far; with `follow`, further output until the execution ends.
    func logs(_ executionID: String, stream: LogStream, follow: Bool) async throws(ExecutorError)
        -> AsyncThrowingStream<[UInt8], any Error>

    func status(_ executionID: String) async throws(ExecutorError) -> ExecutionStatus

    func stats(_ executionID: String) async throws(ExecutorError) -> ExecutionStats

    func list() async -> [ExecutionSummary]

    /// Runs a command inside a running execution (command health checks). Executors where that has no
    /// meaning throw `.unsupported`.
    func exec(_ executionID: String, command: [String]) async throws(ExecutorError) -> CommandResult

    /// Forgets an ended execution (cancelling it first if it still runs); log files stay.
    func remove(_ executionID: String) async throws(ExecutorError)

    /// Cancels and forgets every execution (daemon shutdown).
    func cleanup() async

    /// Whether the executor can run anything now, and what it runs on (a Docker version), or why not.
    func availability() async -> ExecutorAvailability

    /// Takes back an execution that outlived a restart of the daemon (a container keeps running), writing its
    /// output to `logDirectory` again. It needs no workload: what runs is already there. Returns false when the
    /// execution is gone or the executor's executions die with the daemon.
    func reattach(_ executionID: String, logDirectory: URL, resources: Resources) async -> Bool

    /// Removes what a previous daemon left behind that no allocation claims (`keeping` the execution IDs
    /// of allocations the store still knows).
    func removeOrphans(keeping: Set<String>) async
}

extension Executor {
    public func availability() async -> ExecutorAvailability { ExecutorAvailability(available: true, detail: "") }
    public func reattach(_ executionID: String, logDirectory: URL, resources: Resources) async -> Bool { false }
    public func removeOrphans(keeping: Set<String>) async {}
}

/// An executor's state for bids and status: unavailable executors are not offered.
public struct ExecutorAvailability: Sendable, Equatable, Codable {
    public var available: Bool
    /// What it runs on ("Docker 24.0.7, API 1.43") or why it cannot run ("cannot connect to …").
    public var detail: String
    public init(available: Bool, detail: String) {
        self.available = available
        self.detail = detail
    }
}

public enum LogStream: String, Sendable, Codable, CaseIterable {
    case stdout
    case stderr

    public var fileName: String { "\(rawValue).log" }
}

public struct CommandResult: Sendable, Equatable {
    public var exitCode: Int32
    public var output: String
    public init(exitCode: Int32, output: String) {
        self.exitCode = exitCode
        self.output = output
    }
}
