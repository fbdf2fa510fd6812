import DMSCore
import DMSEnsemble

/// Payloads of the `/dms/node/deployment/*` and `/dms/node/allocations/list` behaviors, with the Go
/// DMS's keys where it has them. Every reply carries `OK` and `Error`, so a refusal reads the same
/// everywhere.
public struct DeploymentNewRequest: Codable, Sendable {
    public var ensemble: Ensemble
    /// Seconds the deployment has to reach Running.
    public var timeout: Double?
    /// Wait for providers instead of failing when the ensemble cannot be placed now.
    public var queue: Bool?
    /// The most the whole deployment may cost by its providers' prices; a dearer placement is refused.
    public var maxCost: CostLimit?
    public init(ensemble: Ensemble, timeout: Double? = nil, queue: Bool? = nil, maxCost: CostLimit? = nil) {
        self.ensemble = ensemble
        self.timeout = timeout
        self.queue = queue
        self.maxCost = maxCost
    }
    enum CodingKeys: String, CodingKey {
        case ensemble = "Ensemble"
        case timeout = "Timeout"
        case queue = "Queue"
        case maxCost = "MaxCost"
    }
}

public struct DeploymentNewResponse: Codable, Sendable {
    public var ok: Bool
    public var status: String
    public var ensembleID: String
    public var error: String

    public init(ok: Bool, status: String, ensembleID: String, error: String) {
        self.ok = ok
        self.status = status
        self.ensembleID = ensembleID
        self.error = error
    }
    enum CodingKeys: String, CodingKey {
        case ok = "OK"
        case status = "Status"
        case ensembleID = "EnsembleID"
        case error = "Error"
    }
}

public struct DeploymentIDRequest: Codable, Sendable {
    public var id: String
    public init(id: String) { self.id = id }
    enum CodingKeys: String, CodingKey { case id = "ID" }
}

public struct DeploymentEventPayload: Codable, Sendable, Equatable {
    public var at: Double
    public var status: String
    public var reason: String

    public init(at: Double, status: String, reason: String) {
        self.at = at
        self.status = status
        self.reason = reason
    }
    enum CodingKeys: String, CodingKey {
        case at = "At"
        case status = "Status"
        case reason = "Reason"
    }
}

public struct DeploymentStatusResponse: Codable, Sendable {
    public var ok: Bool
    public var id: String
    public var status: String
    public var reason: String
    public var events: [DeploymentEventPayload]
    public var allocations: [String: DeploymentManifest.AllocationEntry]
    /// Each node's provider and agreed terms (nil from nodes before prices).
    public var nodes: [String: DeploymentManifest.NodeEntry]?
    public var error: String

    public init(
        ok: Bool, id: String, status: String, reason: String, events: [DeploymentEventPayload],
        allocations: [String: DeploymentManifest.AllocationEntry], nodes: [String: DeploymentManifest.NodeEntry]? = nil,
        error: String
    ) {
        self.ok = ok
        self.id = id
        self.status = status
        self.reason = reason
        self.events = events
        self.allocations = allocations
        self.nodes = nodes
        self.error = error
    }
    enum CodingKeys: String, CodingKey {
        case ok = "OK"
        case id = "ID"
        case status = "Status"
        case reason = "Reason"
        case events = "Events"
        case allocations = "Allocations"
        case nodes = "Nodes"
        case error = "Error"
    }
}

public struct DeploymentManifestResponse: Codable, Sendable {
    public var ok: Bool
    public var manifest: DeploymentManifest?
    public var error: String

    public init(ok: Bool, manifest: DeploymentManifest? = nil, error: String) {
        self.ok = ok
        self.manifest = manifest
        self.error = error
    }
    enum CodingKeys: String, CodingKey {
        case ok = "OK"
        case manifest = "Manifest"
        case error = "Error"
    }
}

public struct DeploymentListRequest: Codable, Sendable {
    public var limit: Int?
    public var offset: Int?
    public var status: [String]?
    /// `created_at`, `updated_at` or `status`; a leading `-` sorts descending (the default is
    /// `-created_at`, newest first).
    public var sort: String?
    public var filter: [String: String]?
    public init(
        limit: Int? = nil, offset: Int? = nil, status: [String]? = nil, sort: String? = nil,
        filter: [String: String]? = nil
    ) {
        self.limit = limit
        self.offset = offset
        self.status = status
        self.sort = sort
        self.filter = filter
    }
    enum CodingKeys: String, CodingKey {
        case limit = "Limit"
        case offset = "Offset"
        case status = "Status"
        case sort = "Sort"
        case filter = "Filter"
    }
}

public struct DeploymentSummary: Codable, Sendable, Equatable {
    public var orchestratorID: String
    public var status: String
    public var createdAt: Double
    public var updatedAt: Double
    public var completedAt: Double?
    public var metadata: [String: String]

    public init(
        orchestratorID: String, status: String, createdAt: Double, updatedAt: Double, completedAt: Double? = nil,
        metadata: [String: String]
    ) {
        self.orchestratorID = orchestratorID
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.completedAt = completedAt
        self.metadata = metadata
    }
    enum CodingKeys: String, CodingKey {
        case orchestratorID = "OrchestratorID"
        case status = "Status"
        case createdAt = "CreatedAt"
        case updatedAt = "UpdatedAt"
        case completedAt = "CompletedAt"
        case metadata = "Metadata"
    }
}

public struct DeploymentListResponse: Codable, Sendable {
    public var ok: Bool
    public var deployments: [DeploymentSummary]
    public var total: Int
    public var hasMore: Bool
    public var nextOffset: Int
    public var error: String

    public init(
        ok: Bool, deployments: [DeploymentSummary], total: Int, hasMore: Bool, nextOffset: Int, error: String
    ) {
        self.ok = ok
        self.deployments = deployments
        self.total = total
        self.hasMore = hasMore
        self.nextOffset = nextOffset
        self.error = error
    }
    enum CodingKeys: String, CodingKey {
        case ok = "OK"
        case deployments = "Deployments"
        case total = "Total"
        case hasMore = "HasMore"
        case nextOffset = "NextOffset"
        case error = "Error"
    }
}

public struct DeploymentLogsRequest: Codable, Sendable {
    public var ensembleID: String
    public var allocationName: String
    public var stdoutOffset: UInt64?
    public var stderrOffset: UInt64?
    public init(ensembleID: String, allocationName: String, stdoutOffset: UInt64? = nil, stderrOffset: UInt64? = nil) {
        self.ensembleID = ensembleID
        self.allocationName = allocationName
        self.stdoutOffset = stdoutOffset
        self.stderrOffset = stderrOffset
    }
    enum CodingKeys: String, CodingKey {
        case ensembleID = "EnsembleID"
        case allocationName = "AllocationName"
        case stdoutOffset = "StdoutOffset"
        case stderrOffset = "StderrOffset"
    }
}

public struct DeploymentLogsResponse: Codable, Sendable {
    public var ok: Bool
    public var logsWrittenTo: String
    public var stdout: String
    public var stderr: String
    public var stdoutOffset: UInt64
    public var stderrOffset: UInt64
    /// Whether more output may come (the allocation still runs).
    public var running: Bool
    public var error: String

    public init(
        ok: Bool, logsWrittenTo: String, stdout: String, stderr: String, stdoutOffset: UInt64, stderrOffset: UInt64,
        running: Bool, error: String
    ) {
        self.ok = ok
        self.logsWrittenTo = logsWrittenTo
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutOffset = stdoutOffset
        self.stderrOffset = stderrOffset
        self.running = running
        self.error = error
    }
    enum CodingKeys: String, CodingKey {
        case ok = "OK"
        case logsWrittenTo = "LogsWrittenTo"
        case stdout = "Stdout"
        case stderr = "Stderr"
        case stdoutOffset = "StdoutOffset"
        case stderrOffset = "StderrOffset"
        case running = "Running"
        case error = "Error"
    }
}

public struct DeploymentPruneRequest: Codable, Sendable {
    public var all: Bool?
    /// RFC 3339 time or a duration back from now (`7d`, `2h`, `30m`, `1s`).
    public var before: String?
    public init(all: Bool? = nil, before: String? = nil) {
        self.all = all
        self.before = before
    }
    enum CodingKeys: String, CodingKey {
        case all = "All"
        case before = "Before"
    }
}

public struct DeploymentPruneResponse: Codable, Sendable {
    public var ok: Bool
    public var pruned: [String]
    public var error: String

    public init(ok: Bool, pruned: [String], error: String) {
        self.ok = ok
        self.pruned = pruned
        self.error = error
    }
    enum CodingKeys: String, CodingKey {
        case ok = "OK"
        case pruned = "Pruned"
        case error = "Error"
    }
}

public struct DeploymentDeleteRequest: Codable, Sendable {
    public var orchestratorID: String
    public init(orchestratorID: String) { self.orchestratorID = orchestratorID }
    enum CodingKeys: String, CodingKey { case orchestratorID = "OrchestratorID" }
}

public struct DeploymentOKResponse: Codable, Sendable {
    public var ok: Bool
    public var error: String

    public init(ok: Bool, error: String) {
        self.ok = ok
        self.error = error
    }
    enum CodingKeys: String, CodingKey {
        case ok = "OK"
        case error = "Error"
    }
}

public struct AllocationsListResponse: Codable, Sendable {
    public var ok: Bool
    public var allocations: [ProviderAllocationInfo]
    public var error: String

    public init(ok: Bool, allocations: [ProviderAllocationInfo], error: String) {
        self.ok = ok
        self.allocations = allocations
        self.error = error
    }
    enum CodingKeys: String, CodingKey {
        case ok = "OK"
        case allocations = "Allocations"
        case error = "Error"
    }
}

/// One row of `/dms/node/allocations/list`.
public struct ProviderAllocationInfo: Sendable, Equatable, Codable {
    public var id: String
    public var ensembleID: String
    public var executor: String
    public var executionID: String
    public var resources: Resources
    public var status: String
    public var orchestrator: String
    public var reason: String?
    /// Run time of the ended runs and its cost at the agreed price.
    public var usage: AllocationUsage?

    public init(
        id: String, ensembleID: String, executor: String, executionID: String, resources: Resources, status: String,
        orchestrator: String, reason: String?, usage: AllocationUsage? = nil
    ) {
        self.id = id
        self.ensembleID = ensembleID
        self.executor = executor
        self.executionID = executionID
        self.resources = resources
        self.status = status
        self.orchestrator = orchestrator
        self.reason = reason
        self.usage = usage
    }

    enum CodingKeys: String, CodingKey {
        case id = "ID"
        case ensembleID = "EnsembleID"
        case executor = "Executor"
        case executionID = "ExecutionID"
        case resources = "Resources"
        case status = "Status"
        case orchestrator = "Orchestrator"
        case reason = "Reason"
        case usage = "Usage"
    }
}
