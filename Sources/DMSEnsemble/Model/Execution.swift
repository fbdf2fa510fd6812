import DMSCore

/// How an allocation runs, by executor. Encoded as the Go DMS's SpecConfig: `{"type": …, "params": {…}}`.
public enum Execution: Sendable, Equatable {
    case docker(DockerExecution)
    case firecracker(FirecrackerExecution)
    case wasm(WasmExecution)
    case null(NullExecution)

    public var kind: ExecutorKind {
        switch self {
        case .docker: .docker
        case .firecracker: .firecracker
        case .wasm: .wasm
        case .null: .null
        }
    }
}

public struct DockerExecution: Sendable, Equatable, Codable {
    public var image: String
    public var entrypoint: [String]
    public var cmd: [String]
    /// `KEY=VALUE` entries.
    public var environment: [String]
    public var workingDirectory: String?
    public var restartPolicy: String?
    public var privileged: Bool
    /// The ensemble's login for a private registry (the provider's own logins are used otherwise).
    public var registryAuth: RegistryCredentials?
    public init(
        image: String, entrypoint: [String] = [], cmd: [String] = [], environment: [String] = [],
        workingDirectory: String? = nil, restartPolicy: String? = nil, privileged: Bool = false,
        registryAuth: RegistryCredentials? = nil
    ) {
        self.image = image
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.restartPolicy = restartPolicy
        self.privileged = privileged
        self.registryAuth = registryAuth
    }
}

public struct FirecrackerExecution: Sendable, Equatable, Codable {
    public var kernelImage: String
    public var rootFileSystem: String
    public var kernelArgs: String
    public var initrd: String
    /// Metadata handed to the guest through the MMDS (empty: none).
    public var mmdsMessage: String
    public init(
        kernelImage: String, rootFileSystem: String, kernelArgs: String = "", initrd: String = "",
        mmdsMessage: String = ""
    ) {
        self.kernelImage = kernelImage
        self.rootFileSystem = rootFileSystem
        self.kernelArgs = kernelArgs
        self.initrd = initrd
        self.mmdsMessage = mmdsMessage
    }
}

/// A WASI preview 1 module run by the WASM executor.
public struct WasmExecution: Sendable, Equatable, Codable {
    public var module: WasmModuleSource
    /// The exported function to call; `_start` (the WASI command entry) by default.
    public var entry: String
    public var args: [String]
    public var env: [String: String]
    /// The CPU budget in WasmKit fuel units (about one per instruction); nil uses the provider's default.
    public var fuel: UInt64?
    /// Wall-clock limit in seconds; the run is killed when it passes.
    public var timeout: Double?
    public init(
        module: WasmModuleSource, entry: String = "_start", args: [String] = [], env: [String: String] = [:],
        fuel: UInt64? = nil, timeout: Double? = nil
    ) {
        self.module = module
        self.entry = entry
        self.args = args
        self.env = env
        self.fuel = fuel
        self.timeout = timeout
    }
}

/// Where a WASM module comes from. A path is read (and inlined) by the CLI on the user's machine before
/// the ensemble leaves it; a URL is fetched by the provider and checked against its SHA-256.
public enum WasmModuleSource: Sendable, Equatable, Codable {
    case path(String)
    case url(String, sha256: String)
    case inline([UInt8])
}

/// The no-op executor's workload: prints `stdout`, waits `seconds` (nil: until stopped) and exits with
/// `exitCode`. For tests and dry runs of orchestration.
public struct NullExecution: Sendable, Equatable, Codable {
    public var exitCode: Int32
    public var seconds: Double?
    public var stdout: String
    public init(exitCode: Int32 = 0, seconds: Double? = 0, stdout: String = "") {
        self.exitCode = exitCode
        self.seconds = seconds
        self.stdout = stdout
    }
}
