import DMSCore
import DMSExecutor
import DMSExecutorWasm
import Foundation
import NunetTestSupport

/// The `nunet-wasm` runner in the build products directory.
let testRunner = BuildProducts.wasmRunner

/// Plenty of fuel for the small test modules, none for a loop that should be stopped another way.
let enoughFuel: UInt64 = 10_000_000
let unlimitedFuel = UInt64.max

func wasmRequest(
    _ id: String, _ module: [UInt8], in directory: TemporaryDirectory, entry: String = "_start",
    args: [String] = [], environment: [String: String] = [:], fuel: UInt64 = enoughFuel, ram: UInt64 = 0,
    mounts: [Mount] = [], timeout: Duration? = nil
) -> ExecutionRequest {
    ExecutionRequest(
        executionID: id,
        workload: .wasm(
            WasmWorkload(module: module, entry: entry, args: args, environment: environment, fuel: fuel)),
        resources: Resources(ram: ram),
        logDirectory: URL(fileURLWithPath: directory.file("logs-\(id)")),
        mounts: mounts, timeout: timeout)
}
