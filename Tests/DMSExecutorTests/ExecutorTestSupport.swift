import DMSCore
import DMSExecutor
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

func noopRequest(
    _ id: String, _ workload: NoopWorkload, in directory: TemporaryDirectory, timeout: Duration? = nil
) -> ExecutionRequest {
    ExecutionRequest(
        executionID: id, workload: .noop(workload), resources: .zero,
        logDirectory: URL(fileURLWithPath: directory.file("logs-\(id)")), timeout: timeout)
}

/// Everything the log stream yields, as text.
func collect(_ stream: AsyncThrowingStream<[UInt8], any Error>) async throws -> String {
    var bytes: [UInt8] = []
    for try await chunk in stream { bytes += chunk }
    return String(decoding: bytes, as: UTF8.self)
}
