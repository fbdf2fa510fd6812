import DMSCore

/// An ensemble (format V1): the allocations a user wants run, the nodes that group them onto providers,
/// and the constraints and policies of the whole. Values are normalised (bytes, Hz, every allocation in
/// exactly one node) and valid: only `EnsembleParser` builds them from YAML, and it reports every broken
/// rule at once.
public struct Ensemble: Sendable, Equatable, Codable {
    public var version: String
    public var allocations: [String: Allocation]
    /// Every allocation belongs to exactly one node; an allocation the YAML left out of `nodes` gets a node
    /// of its own with the allocation's name.
    public var nodes: [String: NodeSpec]
    public var edges: [EdgeConstraint]
    public var supervisor: SupervisorSpec?
    public var keys: [String: String]
    public var scripts: [String: [UInt8]]
    public var subnet: SubnetSpec?
    public var excludePeers: [String]
    public var metadata: [String: String]
    public var contracts: [String: ContractSpec]
    public var escalationStrategy: EscalationStrategy?

    public init(
        version: String = "V1", allocations: [String: Allocation], nodes: [String: NodeSpec],
        edges: [EdgeConstraint] = [], supervisor: SupervisorSpec? = nil, keys: [String: String] = [:],
        scripts: [String: [UInt8]] = [:], subnet: SubnetSpec? = nil, excludePeers: [String] = [],
        metadata: [String: String] = [:], contracts: [String: ContractSpec] = [:],
        escalationStrategy: EscalationStrategy? = nil
    ) {
        self.version = version
        self.allocations = allocations
        self.nodes = nodes
        self.edges = edges
        self.supervisor = supervisor
        self.keys = keys
        self.scripts = scripts
        self.subnet = subnet
        self.excludePeers = excludePeers
        self.metadata = metadata
        self.contracts = contracts
        self.escalationStrategy = escalationStrategy
    }

    /// Node names in a stable order (sorted).
    public var nodeNames: [String] { nodes.keys.sorted() }

    /// The node an allocation belongs to.
    public func node(of allocation: String) -> String? {
        nodes.first { $0.value.allocations.contains(allocation) }?.key
    }

    /// Whether every allocation is a task (such an ensemble completes when its tasks have exited 0).
    public var isTaskOnly: Bool { allocations.values.allSatisfy { $0.type == .task } }
}

public struct SubnetSpec: Sendable, Equatable, Codable {
    public var join: Bool
    public init(join: Bool) { self.join = join }
}

public struct ContractSpec: Sendable, Equatable, Codable {
    public var did: String
    public var host: String
    public init(did: String, host: String) {
        self.did = did
        self.host = host
    }
}

public enum EscalationStrategy: String, Sendable, Equatable, Codable, CaseIterable {
    case redeploy
    case teardown
}

/// A latency/bandwidth requirement between two nodes' providers.
public struct EdgeConstraint: Sendable, Equatable, Codable {
    public var source: String
    public var target: String
    /// Maximum round trip, milliseconds (0: none).
    public var rtt: Int
    /// Minimum bandwidth (0: none).
    public var bandwidth: Int
    public init(source: String, target: String, rtt: Int, bandwidth: Int) {
        self.source = source
        self.target = target
        self.rtt = rtt
        self.bandwidth = bandwidth
    }
}

/// The ensemble's supervision tree: a strategy over allocations and nested groups.
public struct SupervisorSpec: Sendable, Equatable, Codable {
    public var strategy: SupervisorStrategyName
    public var allocations: [String]
    public var children: [SupervisorSpec]
    public init(strategy: SupervisorStrategyName, allocations: [String] = [], children: [SupervisorSpec] = []) {
        self.strategy = strategy
        self.allocations = allocations
        self.children = children
    }
}

public enum SupervisorStrategyName: String, Sendable, Equatable, Codable, CaseIterable {
    case oneForOne = "OneForOne"
    case allForOne = "AllForOne"
    case restForOne = "RestForOne"
}
