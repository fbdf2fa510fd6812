/// What the orchestrator knows of one allocation while the deployment lives.
struct AllocationProgress: Sendable {
    enum Phase: Sendable, Equatable {
        case waiting
        case started
        case completed
        case failed(String)
        case stopped
    }
    var phase: Phase = .waiting
    var run = 0
    var unhealthy: String?
    /// The last failure was the provider vanishing, not the workload failing.
    var providerLost = false
    /// The next start re-attaches to whatever runs on the provider (after a restart of this daemon).
    var reattach = false
}
