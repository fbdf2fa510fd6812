import DMSMessages
import Foundation

/// What `nunet deploy --wait` shows on a terminal, redrawn in place as the deployment moves: its state and
/// elapsed time, one row per allocation (the node it belongs to, its state, what a slow start is doing such as an
/// image pull, or why it failed) and the latest state change with its reason. A pure function of the status, so
/// the rendering is tested without a terminal.
enum DeploymentProgressView {
    static func lines(_ status: DeploymentStatusResponse, elapsed: Double) -> [String] {
        var lines = ["deployment \(status.id)  \(status.status)  \(String(format: "%.1f", elapsed))s"]
        if !status.allocations.isEmpty {
            var table = TextTable("NODE", "ALLOCATION", "STATE", "DETAIL")
            let rows = status.allocations.sorted { ($0.value.nodeID, $0.key) < ($1.value.nodeID, $1.key) }
            for (name, allocation) in rows {
                table.add(allocation.nodeID, name, allocation.status, detail(allocation))
            }
            lines += table.rendered.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        }
        if let last = status.events.last {
            lines.append("  \(last.status): \(last.reason)")
        }
        return lines
    }

    /// A start's progress while it lasts, then the error or exit code and restarts, if any.
    static func detail(_ allocation: DeploymentManifest.AllocationEntry) -> String {
        var parts: [String] = []
        if let progress = allocation.progress { parts.append(progress) }
        if let error = allocation.error, !error.isEmpty { parts.append(error) }
        if let code = allocation.exitCode { parts.append("exit \(code)") }
        if allocation.restarts > 0 { parts.append("\(allocation.restarts) restarts") }
        return parts.joined(separator: "; ")
    }
}

/// Redraws a block of lines in place on a terminal: the cursor goes back up over the previous block, which is
/// cleared, and the new one is written.
struct LiveBlock {
    private var height = 0

    mutating func redraw(_ lines: [String]) -> String {
        var output = height > 0 ? "\u{1B}[\(height)F\u{1B}[J" : ""
        for line in lines { output += line + "\n" }
        height = lines.count
        return output
    }
}
