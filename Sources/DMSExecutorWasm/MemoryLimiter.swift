import DMSExecutor
import Synchronization
import WasmKit

/// Caps a module's linear memory at the allocation's RAM. A growth past the cap is refused (`memory.grow` returns
/// -1, as the WASM spec allows, and an initial memory past it fails instantiation) rather than trapping, so a
/// guest that copes keeps running; the refusal is remembered so that a failure after it can be explained.
final class MemoryLimiter: ResourceLimiter {
    let limit: UInt64
    private let largestRefused = Atomic<UInt64>(0)

    init(limit: UInt64) {
        self.limit = limit
    }

    /// The largest memory size, in bytes, that was refused; nil if none was.
    var refusal: UInt64? {
        let refused = largestRefused.load(ordering: .relaxed)
        return refused == 0 ? nil : refused
    }

    func limitMemoryGrowth(to desired: Int) throws -> Bool {
        let bytes = UInt64(desired)
        guard bytes > limit else { return true }
        largestRefused.max(bytes, ordering: .relaxed)
        return false
    }
}
