import DMSExecutor
import DMSMessages

/// What the provider stores about one allocation, so a restart knows it and can report how it ended.
struct AllocationRecord: Sendable, Equatable, Codable {
    var spec: AllocationSpec
    var state: AllocationState
    var run: Int
    var result: ExecutionResult?
    var reason: String?
    /// When the current run started (Unix seconds), while it runs.
    var startedAt: Double?
    /// Run time of the runs that ended and what it costs at the agreed price.
    var usage: AllocationUsage?
}
