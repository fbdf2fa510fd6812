import DMSCore
import Foundation

/// Everything an executor needs to run one execution.
public struct ExecutionRequest: Sendable {
    public var executionID: String
    public var workload: Workload
    /// The allocation's resources: the WASM executor caps linear memory at `ram`.
    public var resources: Resources
    /// Where `stdout.log` and `stderr.log` are written (created if missing).
    public var logDirectory: URL
    /// Host directories made visible to the workload (WASI preopens for WASM).
    public var mounts: [Mount]
    /// Wall-clock limit; the execution is killed when it passes (result `killed`, reason "timed out").
    public var timeout: Duration?
    /// Who the execution belongs to (deployment, allocation), for executors that label what they create.
    public var labels: [String: String]
    /// Told what a slow start is doing (an image pull's progress), so the user can see it.
    public var progress: (@Sendable (String) -> Void)?

    public init(
        executionID: String, workload: Workload, resources: Resources, logDirectory: URL, mounts: [Mount] = [],
        timeout: Duration? = nil, labels: [String: String] = [:], progress: (@Sendable (String) -> Void)? = nil
    ) {
        self.executionID = executionID
        self.workload = workload
        self.resources = resources
        self.logDirectory = logDirectory
        self.mounts = mounts
        self.timeout = timeout
        self.labels = labels
        self.progress = progress
    }
}

public enum Workload: Sendable, Equatable {
    case wasm(WasmWorkload)
    case docker(DockerWorkload)
    case noop(NoopWorkload)
}

/// A resolved WASM module (bytes, not a path or URL) and how to call it.
public struct WasmWorkload: Sendable, Equatable {
    public var module: [UInt8]
    public var entry: String
    public var args: [String]
    public var environment: [String: String]
    /// CPU budget in fuel units (about one per WASM instruction).
    public var fuel: UInt64
    public init(
        module: [UInt8], entry: String = "_start", args: [String] = [], environment: [String: String] = [:],
        fuel: UInt64
    ) {
        self.module = module
        self.entry = entry
        self.args = args
        self.environment = environment
        self.fuel = fuel
    }
}

/// The Noop executor's workload: writes `stdout`, waits `duration` (nil: until cancelled), exits with
/// `exitCode`.
public struct NoopWorkload: Sendable, Equatable {
    public var exitCode: Int32
    public var duration: Duration?
    public var stdout: String
    public init(exitCode: Int32 = 0, duration: Duration? = .zero, stdout: String = "") {
        self.exitCode = exitCode
        self.duration = duration
        self.stdout = stdout
    }
}

public struct Mount: Sendable, Equatable {
    public var hostPath: String
    public var guestPath: String
    public var readOnly: Bool
    public init(hostPath: String, guestPath: String, readOnly: Bool = false) {
        self.hostPath = hostPath
        self.guestPath = guestPath
        self.readOnly = readOnly
    }
}
