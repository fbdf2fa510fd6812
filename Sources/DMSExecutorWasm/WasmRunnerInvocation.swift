import DMSExecutor

/// The command line of `nunet-wasm`, the process that runs one WASM module for the WASM executor. The executor
/// renders it and the runner parses it, so both sides agree on one definition:
///
///     nunet-wasm --module PATH [--entry NAME] [--fuel UNITS] [--memory-limit BYTES]
///                [--dir GUEST=HOST]... [--dir-ro GUEST=HOST]... [--env KEY=VALUE]...
///                [--result PATH] [--] [ARGUMENT...]
///
/// - `--module`: the module file (required).
/// - `--entry`: the exported function to run. `_start` (the default) runs a WASI command; any other entry runs as
///   a WASI reactor: `_initialize` first when exported, then the entry, whose i32 result (if any) is the exit code.
/// - `--fuel`: the CPU budget in WasmKit fuel units (about one per instruction); unlimited without it.
/// - `--memory-limit`: the cap on linear memory in bytes; unlimited without it. A growth past the cap fails
///   (`memory.grow` returns -1), an initial memory past it fails instantiation.
/// - `--dir`, `--dir-ro`: a host directory preopened for the guest at GUEST, writable or read-only. Read-only is
///   enforced by Landlock (see `Landlock`); the runner refuses to run when the kernel cannot enforce it.
/// - `--env`: an environment variable for the guest (the runner's own environment is not passed on).
/// - `--result`: where to write the outcome as JSON (`WasmRunOutcome`).
/// - The guest's arguments follow; its argv[0] is the module file's name.
///
/// The guest's stdin, stdout and stderr are the runner's. The exit status is the guest's exit code, 134 when it
/// trapped (as wasmtime does) and 1 when it could not run.
struct WasmRunnerInvocation: Sendable, Equatable {
    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    var module: String
    var entry = "_start"
    var fuel: UInt64?
    var memoryLimit: UInt64?
    var mounts: [Mount] = []
    var environment: [String: String] = [:]
    var resultPath: String?
    var arguments: [String] = []

    init(module: String) {
        self.module = module
    }

    /// The arguments to start `nunet-wasm` with (without the executable itself).
    var commandLine: [String] {
        var line = ["--module", module, "--entry", entry]
        if let fuel { line += ["--fuel", String(fuel)] }
        if let memoryLimit { line += ["--memory-limit", String(memoryLimit)] }
        for mount in mounts {
            line += [mount.readOnly ? "--dir-ro" : "--dir", "\(mount.guestPath)=\(mount.hostPath)"]
        }
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { line += ["--env", "\(key)=\(value)"] }
        if let resultPath { line += ["--result", resultPath] }
        return line + ["--"] + arguments
    }

    /// Parses the runner's arguments (without the executable itself).
    init(parsing commandLine: [String]) throws(UsageError) {
        var module: String?
        var remaining = commandLine[...]
        var parsed = WasmRunnerInvocation(module: "")
        while let flag = remaining.popFirst() {
            if flag == "--" { break }
            guard flag.hasPrefix("--") else {
                parsed.arguments.append(flag)
                parsed.arguments += remaining
                remaining = []
                break
            }
            guard let value = remaining.popFirst() else { throw UsageError(description: "\(flag) needs a value") }
            switch flag {
            case "--module": module = value
            case "--entry": parsed.entry = value
            case "--fuel": parsed.fuel = try Self.number(value, for: flag)
            case "--memory-limit": parsed.memoryLimit = try Self.number(value, for: flag)
            case "--dir", "--dir-ro":
                let (guest, host) = try Self.pair(value, for: flag)
                parsed.mounts.append(Mount(hostPath: host, guestPath: guest, readOnly: flag == "--dir-ro"))
            case "--env":
                let (key, variable) = try Self.pair(value, for: flag)
                parsed.environment[key] = variable
            case "--result": parsed.resultPath = value
            default: throw UsageError(description: "unknown option \(flag)")
            }
        }
        parsed.arguments += remaining
        guard let module else { throw UsageError(description: "--module is required") }
        parsed.module = module
        self = parsed
    }

    private static func number(_ value: String, for flag: String) throws(UsageError) -> UInt64 {
        guard let number = UInt64(value) else { throw UsageError(description: "\(flag) takes a number, not \(value)") }
        return number
    }

    private static func pair(_ value: String, for flag: String) throws(UsageError) -> (String, String) {
        guard let separator = value.firstIndex(of: "="), separator != value.startIndex else {
            throw UsageError(description: "\(flag) takes NAME=VALUE, not \(value)")
        }
        return (String(value[..<separator]), String(value[value.index(after: separator)...]))
    }
}
