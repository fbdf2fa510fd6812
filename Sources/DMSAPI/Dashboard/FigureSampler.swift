import DMSNode
import ServiceLifecycle

/// Samples the node's figures into a `FigureHistory` every `interval` while the daemon runs, whether or
/// not anybody watches the dashboard, so its charts show the last hour when it is opened.
struct FigureSampler {
    let node: Node
    let history: FigureHistory
    var interval: Duration = .seconds(10)

    /// Samples until the daemon shuts down (graceful shutdown or cancellation).
    func run() async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            history.record(await node.figures())
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
