import DMSCore
import DMSEnsemble
import DMSExecutor

/// Reserve one node's allocations on a provider until the commitment expires.
public struct CommitRequest: Sendable, Equatable, Codable {
    public var ensembleID: String
    public var nodeID: String
    /// Allocation ID -> resources.
    public var allocations: [String: Resources]
    public var staticPorts: [Int]
    public var dynamicPorts: Int
    /// Seconds the commitment lasts if no allocate follows.
    public var ttl: Double

    public init(
        ensembleID: String, nodeID: String, allocations: [String: Resources], staticPorts: [Int], dynamicPorts: Int,
        ttl: Double
    ) {
        self.ensembleID = ensembleID
        self.nodeID = nodeID
        self.allocations = allocations
        self.staticPorts = staticPorts
        self.dynamicPorts = dynamicPorts
        self.ttl = ttl
    }
}

public struct CommitReply: Sendable, Equatable, Codable {
    public var ok: Bool
    public var error: String?
    /// The public ports reserved (static first, then the dynamic ones chosen).
    public var ports: [Int]

    public init(ok: Bool, error: String? = nil, ports: [Int]) {
        self.ok = ok
        self.error = error
        self.ports = ports
    }
}

/// Everything a provider needs to create the allocation actors of one node.
public struct AllocationSpec: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var ensembleID: String
    public var nodeID: String
    public var type: AllocationType
    public var resources: Resources
    public var execution: Execution
    public var healthcheck: HealthCheck?
    public var volumes: [Volume]
    public var orchestrator: HandleReference
    /// Host ports the provider holds for this allocation and the container ports they lead to (nil from
    /// orchestrators older than port publishing).
    public var ports: [PortBinding]?
    /// The price agreed for the allocation's node, so the provider records what its run time costs (nil:
    /// free, or an orchestrator from before prices).
    public var price: ComputeCapability.Price?

    public init(
        id: String, name: String, ensembleID: String, nodeID: String, type: AllocationType, resources: Resources,
        execution: Execution, healthcheck: HealthCheck? = nil, volumes: [Volume], orchestrator: HandleReference,
        ports: [PortBinding]? = nil, price: ComputeCapability.Price? = nil
    ) {
        self.id = id
        self.name = name
        self.ensembleID = ensembleID
        self.nodeID = nodeID
        self.type = type
        self.resources = resources
        self.execution = execution
        self.healthcheck = healthcheck
        self.volumes = volumes
        self.orchestrator = orchestrator
        self.ports = ports
        self.price = price
    }
}

public struct AllocateRequest: Sendable, Equatable, Codable {
    public var ensembleID: String
    public var nodeID: String
    public var allocations: [AllocationSpec]

    public init(ensembleID: String, nodeID: String, allocations: [AllocationSpec]) {
        self.ensembleID = ensembleID
        self.nodeID = nodeID
        self.allocations = allocations
    }
}

public struct AllocateReply: Sendable, Equatable, Codable {
    public var ok: Bool
    public var error: String?
    /// Allocation ID -> allocation actor.
    public var handles: [String: HandleReference]

    public init(ok: Bool, error: String? = nil, handles: [String: HandleReference]) {
        self.ok = ok
        self.error = error
        self.handles = handles
    }
}

/// Undo commitments and allocations of a deployment on a provider (fire and forget).
public struct RevertRequest: Sendable, Equatable, Codable {
    public var ensembleID: String
    public var allocationIDs: [String]

    public init(ensembleID: String, allocationIDs: [String]) {
        self.ensembleID = ensembleID
        self.allocationIDs = allocationIDs
    }
}

public struct OKReply: Sendable, Equatable, Codable {
    public var ok: Bool
    public var error: String?
    public init(ok: Bool, error: String? = nil) {
        self.ok = ok
        self.error = error
    }
}

/// The payload of requests that carry nothing (`{}`).
public struct NoPayload: Sendable, Equatable, Codable {
    public init() {}
}
