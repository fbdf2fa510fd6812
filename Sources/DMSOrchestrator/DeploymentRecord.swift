import DMSCore
import DMSEnsemble
import DMSMessages
import DMSStore

/// Everything the orchestrator persists about one deployment; restored after a restart.
public struct DeploymentRecord: Sendable, Equatable, Codable {
    public var id: String
    public var ensemble: Ensemble
    public var status: DeploymentStatus
    public var manifest: DeploymentManifest
    public var events: [DeploymentEvent]
    /// Unix seconds.
    public var createdAt: Double
    public var updatedAt: Double
    public var completedAt: Double?
    /// Unix seconds by which the deployment must be Running, or it fails.
    public var deadline: Double
    /// Peers that failed this deployment (vanished or refused); never chosen again by it.
    public var lostPeers: [String]
    /// Wait for providers rather than fail when the ensemble cannot be placed.
    public var queue: Bool
    /// The most the deployment may cost by its providers' prices (nil: no limit).
    public var maxCost: CostLimit?

    public init(
        id: String, ensemble: Ensemble, manifest: DeploymentManifest, createdAt: Double, deadline: Double,
        queue: Bool = false, maxCost: CostLimit? = nil
    ) {
        self.id = id
        self.ensemble = ensemble
        self.status = .preparing
        self.manifest = manifest
        self.events = [DeploymentEvent(at: createdAt, status: DeploymentStatus.preparing.name, reason: "requested")]
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.completedAt = nil
        self.deadline = deadline
        self.lostPeers = []
        self.queue = queue
        self.maxCost = maxCost
    }

    /// The reason of the latest status change (why it failed, for a Failed deployment).
    public var reason: String { events.last?.reason ?? "" }
}
