import DMSExecutor

/// The allocation actor's state, as it reports it.
public enum AllocationState: String, Sendable, Equatable, Codable {
    case pending
    case running
    case completed
    case failed
    case stopped
}

public struct AllocationStartReply: Sendable, Equatable, Codable {
    public var ok: Bool
    public var error: String?
    /// Which run of the allocation this is (1 for the first start, then one more per restart).
    public var run: Int
    /// The refusal cannot go away by trying again (an image that does not exist, a module that does not
    /// parse, a privilege the provider denies): the orchestrator fails the deployment instead of retrying.
    public var permanent: Bool?

    public init(ok: Bool, error: String? = nil, run: Int, permanent: Bool? = nil) {
        self.ok = ok
        self.error = error
        self.run = run
        self.permanent = permanent
    }
}

/// Wait for run `run` to end, at most `hold` seconds (the reply then says it is still running, which
/// doubles as a liveness signal).
public struct AllocationWaitRequest: Sendable, Equatable, Codable {
    public var run: Int
    public var hold: Double

    public init(run: Int, hold: Double) {
        self.run = run
        self.hold = hold
    }
}

public struct AllocationStatusReply: Sendable, Equatable, Codable {
    public var id: String
    public var state: AllocationState
    public var run: Int
    public var result: ExecutionResult?
    /// Why it ended, when it did (the executor's error, "stopped", "the daemon stopped while it ran").
    public var reason: String?
    /// What a start in progress is doing ("pulling app:1: 2 of 5 layers, 12.0 of 40.0 MB").
    public var progress: String?
    /// Run time of the ended runs and its cost at the agreed price (nil from providers before prices).
    public var usage: AllocationUsage?

    public init(
        id: String, state: AllocationState, run: Int, result: ExecutionResult? = nil, reason: String? = nil,
        progress: String? = nil, usage: AllocationUsage? = nil
    ) {
        self.id = id
        self.state = state
        self.run = run
        self.result = result
        self.reason = reason
        self.progress = progress
        self.usage = usage
    }
}

public struct AllocationLogsRequest: Sendable, Equatable, Codable {
    public var stdoutOffset: UInt64
    public var stderrOffset: UInt64
    public init(stdoutOffset: UInt64 = 0, stderrOffset: UInt64 = 0) {
        self.stdoutOffset = stdoutOffset
        self.stderrOffset = stderrOffset
    }
}

public struct AllocationLogsReply: Sendable, Equatable, Codable {
    public var stdout: String
    public var stderr: String
    public var stdoutOffset: UInt64
    public var stderrOffset: UInt64
    public var running: Bool
}

public struct HealthReply: Sendable, Equatable, Codable {
    public var healthy: Bool
    public var message: String

    public init(healthy: Bool, message: String) {
        self.healthy = healthy
        self.message = message
    }
}
