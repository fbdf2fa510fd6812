/// How an execution ended. `exitCode` 0 and not `killed` is success; otherwise `error` says why (a trap
/// such as "out of fuel" or "out of memory: …", "timed out after 5s", "cancelled: …").
public struct ExecutionResult: Sendable, Equatable, Codable {
    public var exitCode: Int32
    public var killed: Bool
    public var error: String?

    public init(exitCode: Int32, killed: Bool = false, error: String? = nil) {
        self.exitCode = exitCode
        self.killed = killed
        self.error = error
    }

    public var succeeded: Bool { exitCode == 0 && !killed && error == nil }

    enum CodingKeys: String, CodingKey {
        case exitCode = "exit_code"
        case killed
        case error = "error_msg"
    }
}

/// The Go DMS's execution states.
public enum ExecutionStatus: String, Sendable, Equatable, Codable {
    case pending
    case running
    case failed
    case success
}

public struct ExecutionStats: Sendable, Equatable, Codable {
    /// Peak resident memory of the execution, bytes (0 if unknown).
    public var memoryBytes: UInt64
    /// CPU time used, seconds.
    public var cpuSeconds: Double
    public var wallSeconds: Double
    public init(memoryBytes: UInt64, cpuSeconds: Double, wallSeconds: Double) {
        self.memoryBytes = memoryBytes
        self.cpuSeconds = cpuSeconds
        self.wallSeconds = wallSeconds
    }
}

public struct ExecutionSummary: Sendable, Equatable, Codable {
    public var executionID: String
    public var running: Bool
    public init(executionID: String, running: Bool) {
        self.executionID = executionID
        self.running = running
    }
}
