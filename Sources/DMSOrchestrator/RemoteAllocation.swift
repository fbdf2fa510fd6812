import DMSActor

/// An allocation on a (possibly remote) provider as a supervised process: started through its
/// allocation actor, watched through held waits (which double as liveness), stopped on request. The
/// actor layer's Supervisor restarts it per the ensemble's strategy.
final class RemoteAllocation: SupervisedProcess {
    let name: String
    private let orchestrator: Orchestrator
    private let exit: Task<ProcessExit, Never>

    init(name: String, orchestrator: Orchestrator) {
        self.name = name
        self.orchestrator = orchestrator
        exit = Task { await orchestrator.runAllocation(name) }
    }

    func waitForExit() async -> ProcessExit { await exit.value }

    func stop() async {
        await orchestrator.stopAllocation(name)
        _ = await exit.value
    }
}
