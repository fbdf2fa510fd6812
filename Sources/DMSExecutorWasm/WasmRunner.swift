import DMSExecutor
import Foundation
import WASI
@_spi(Fuzzing) import WasmKit  // Store.resourceLimiter, the only way WasmKit offers to cap linear memory
import WasmKitWASI

/// The body of `nunet-wasm` (its command line is `WasmRunnerInvocation`): runs one module under WasmKit in this
/// process, writes the outcome to the result file and returns the exit status. It lives in DMSExecutor so that it
/// is built and tested with the executor that spawns it; the executable only calls `main`.
public enum WasmRunner {
    /// Runs `nunet-wasm` with `arguments` (without the executable's own name); returns the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        let invocation: WasmRunnerInvocation
        do {
            invocation = try WasmRunnerInvocation(parsing: arguments)
        } catch {
            report("\(error)")
            return 1
        }
        // Opened before the module runs: Landlock leaves already open files writable.
        var resultFile: Int32?
        if let path = invocation.resultPath {
            let file = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard file >= 0 else {
                report("cannot open the result file \(path): \(String(cString: strerror(errno)))")
                return 1
            }
            resultFile = file
        }
        let outcome = run(invocation)
        if let resultFile {
            defer { close(resultFile) }
            guard let json = try? JSONEncoder().encode(outcome), writeAll(json, to: resultFile) else {
                report("cannot write the result file")
                return 1
            }
        }
        switch outcome.end {
        case .exited(let code): return code
        case .outOfFuel, .trapped: return 134
        case .failed: return 1
        }
    }

    /// Runs the module and says how it ended. Confines this process (see `confine`): only for the runner's own.
    private static func run(_ invocation: WasmRunnerInvocation) -> WasmRunOutcome {
        let limiter = invocation.memoryLimit.map(MemoryLimiter.init(limit:))
        var fuelUsed: UInt64?
        let end = execute(invocation, limiter: limiter, fuelUsed: &fuelUsed)
        if case .failed(let message) = end { report(message) }
        return WasmRunOutcome(
            end: end, fuel: invocation.fuel, fuelUsed: fuelUsed, memoryLimit: invocation.memoryLimit,
            refusedMemory: limiter?.refusal)
    }

    private static func execute(
        _ invocation: WasmRunnerInvocation, limiter: MemoryLimiter?, fuelUsed: inout UInt64?
    ) -> WasmRunOutcome.End {
        let module: Module
        do {
            module = try parseWasm(filePath: invocation.module)
        } catch {
            return .failed(message: "invalid module: \(error)")
        }
        if let refusal = confine(invocation.mounts) { return .failed(message: refusal) }

        let store = Store(engine: Engine(configuration: EngineConfiguration(fuelMetering: invocation.fuel != nil)))
        if let limiter { store.resourceLimiter = limiter }
        if let fuel = invocation.fuel { store.fuel = Fuel(remaining: fuel) }
        defer {
            if let budget = invocation.fuel { fuelUsed = budget - min(budget, store.fuel?.remaining ?? 0) }
        }
        let programName = invocation.module.split(separator: "/").last.map(String.init) ?? invocation.module
        do {
            let wasi = try WASIBridgeToHost(
                args: [programName] + invocation.arguments,
                environment: invocation.environment,
                preopens: invocation.mounts.map { .init(guestPath: $0.guestPath, hostPath: $0.hostPath) })
            return try wasi.runAndClose { wasi in
                var imports = Imports()
                wasi.link(to: &imports, store: store)
                let instance: Instance
                do {
                    instance = try module.instantiate(store: store, imports: imports)
                } catch {
                    return .failed(message: "cannot instantiate the module: \(summary(of: error))")
                }
                return call(invocation.entry, of: instance, wasi: wasi)
            }
        } catch {
            return .failed(message: "\(error)")
        }
    }

    /// Runs the entry: `_start` as a WASI command, anything else as a WASI reactor export.
    private static func call(_ entry: String, of instance: Instance, wasi: WASIBridgeToHost) -> WasmRunOutcome.End {
        guard let function = instance.exports[function: entry] else {
            return .failed(message: "the module exports no function \"\(entry)\"")
        }
        do {
            if entry == "_start" { return .exited(code: Int32(bitPattern: try wasi.start(instance))) }
            guard function.type.parameters.isEmpty else {
                return .failed(message: "the entry \"\(entry)\" takes parameters; an entry cannot be given any")
            }
            try wasi.initialize(instance)
            let results = try function()
            if results.count == 1, case .i32(let code) = results[0] { return .exited(code: Int32(bitPattern: code)) }
            return .exited(code: 0)
        } catch let exit as WASIExitCode {
            return .exited(code: Int32(bitPattern: exit.code))
        } catch let trap as Trap {
            report("\(trap)")  // with WasmKit's backtrace, for stderr.log
            let reason = summary(of: trap)
            return reason == "out of fuel" ? .outOfFuel : .trapped(reason: reason)
        } catch {
            return .failed(message: "\(error)")
        }
    }

    /// Applies the mounts' write restrictions: writes only beneath the writable mounts. Returns why the run must
    /// not go on, or nil. Without Landlock, runs with read-only mounts are refused rather than run unprotected.
    private static func confine(_ mounts: [Mount]) -> String? {
        #if os(Linux) && (arch(x86_64) || arch(arm64))
            let writable = mounts.filter { !$0.readOnly }.map(\.hostPath)
            let readOnly = mounts.filter(\.readOnly).map(\.hostPath)
            do {
                try Landlock.restrictWrites(toBeneath: writable, readOnly: readOnly)
                return nil
            } catch {
                guard mounts.contains(where: \.readOnly) else { return nil }
                return "read-only mounts cannot be enforced: \(error)"
            }
        #else
            return mounts.contains(where: \.readOnly)
                ? "read-only mounts cannot be enforced: Landlock needs Linux" : nil
        #endif
    }

    /// The first line of an error's description, without WasmKit's "Trap: " prefix (the backtrace follows it).
    private static func summary(of error: any Error) -> String {
        let firstLine = "\(error)".split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return firstLine.hasPrefix("Trap: ") ? String(firstLine.dropFirst("Trap: ".count)) : firstLine
    }

    /// Writes a diagnostic to the runner's stderr, which is the execution's stderr.log.
    private static func report(_ message: String) {
        _ = writeAll(Data("nunet-wasm: \(message)\n".utf8), to: 2)
    }

    /// Writes all of `data` to `file`.
    private static func writeAll(_ data: Data, to file: Int32) -> Bool {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(file, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return false }
                offset += written
            }
            return true
        }
    }
}
