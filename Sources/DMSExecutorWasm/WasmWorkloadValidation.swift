import DMSExecutor
import WasmKit

extension WasmWorkload {
    /// Refuses, before anything is spawned, a module that does not parse, does not export its entry as a
    /// function, or imports anything but WASI preview 1 functions (the only host the runner provides), so that a
    /// bad workload fails `start` with a reason instead of failing as an execution.
    func validate() throws(ExecutorError) {
        let parsed: Module
        do {
            parsed = try parseWasm(bytes: module)
        } catch {
            throw .invalidWorkload("the module does not parse: \(error)")
        }
        let exportsEntry = parsed.exports.contains { export in
            guard export.name == entry, case .function = export.descriptor else { return false }
            return true
        }
        guard exportsEntry else { throw .invalidWorkload("the module exports no function \"\(entry)\"") }
        for item in parsed.imports {
            guard item.module == "wasi_snapshot_preview1", case .function = item.descriptor else {
                throw .invalidWorkload(
                    "the module imports \(item.module).\(item.name); the WASM executor provides only wasi_snapshot_preview1 functions"
                )
            }
        }
    }
}
