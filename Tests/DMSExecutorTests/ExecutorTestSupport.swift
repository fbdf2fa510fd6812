import DMSCore
import DMSExecutor
import Foundation
import NunetTestSupport

func noopRequest(
    _ id: String, _ workload: NoopWorkload, in directory: TemporaryDirectory, timeout: Duration? = nil
) -> ExecutionRequest {
    ExecutionRequest(
        executionID: id, workload: .noop(workload), resources: .zero,
        logDirectory: URL(fileURLWithPath: directory.file("logs-\(id)")), timeout: timeout)
}
