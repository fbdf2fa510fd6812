import DMSCore
import DMSExecutor

/// Where an ensemble's parts ended up: each node's provider and each allocation's actor.
public struct DeploymentManifest: Sendable, Equatable, Codable {
    public struct NodeEntry: Sendable, Equatable, Codable {
        public var id: String
        public var peer: String
        /// The provider's root actor.
        public var handle: HandleReference
        public var allocations: [String]
        /// Public (host) port → private port, for every port the provider holds for the node.
        public var ports: [Int: Int]
        /// The same ports by allocation, as the allocations publish them (nil in records from before port
        /// publishing).
        public var bindings: [String: [PortBinding]]?
        /// The agreed terms: the provider's price for this node and the estimated cost of its expected run
        /// time (nil in records from before prices).
        public var estimate: CostEstimate?

        public init(
            id: String, peer: String, handle: HandleReference, allocations: [String], ports: [Int: Int],
            bindings: [String: [PortBinding]]? = nil, estimate: CostEstimate? = nil
        ) {
            self.id = id
            self.peer = peer
            self.handle = handle
            self.allocations = allocations
            self.ports = ports
            self.bindings = bindings
            self.estimate = estimate
        }
    }

    public struct AllocationEntry: Sendable, Equatable, Codable {
        /// `<ensembleID>_<node>.<allocation>`: the allocation's ID on its provider.
        public var id: String
        public var nodeID: String
        public var type: String
        public var handle: HandleReference?
        public var dnsName: String
        public var status: String
        public var exitCode: Int32?
        public var error: String?
        public var restarts: Int
        /// Host port → container port the allocation publishes.
        public var ports: [Int: Int]?
        /// What a start is doing while it takes long (an image pull), as the provider last reported it.
        public var progress: String?
        /// Run time and cost of its ended runs, as its provider last reported them.
        public var usage: AllocationUsage?

        public init(
            id: String, nodeID: String, type: String, handle: HandleReference? = nil, dnsName: String, status: String,
            exitCode: Int32? = nil, error: String? = nil, restarts: Int, ports: [Int: Int]? = nil
        ) {
            self.id = id
            self.nodeID = nodeID
            self.type = type
            self.handle = handle
            self.dnsName = dnsName
            self.status = status
            self.exitCode = exitCode
            self.error = error
            self.restarts = restarts
            self.ports = ports
        }

        enum CodingKeys: String, CodingKey {
            case id
            case nodeID = "node_id"
            case type, handle
            case dnsName = "dns_name"
            case status
            case exitCode = "exit_code"
            case error, restarts, ports, progress, usage
        }
    }

    public var id: String
    public var orchestrator: HandleReference
    public var metadata: [String: String]
    public var nodes: [String: NodeEntry]
    public var allocations: [String: AllocationEntry]

    public init(id: String, orchestrator: HandleReference, metadata: [String: String]) {
        self.id = id
        self.orchestrator = orchestrator
        self.metadata = metadata
        nodes = [:]
        allocations = [:]
    }

    /// `<ensembleID>_<node>.<allocation>`, as the Go DMS names allocations.
    public static func allocationID(ensemble: String, node: String, allocation: String) -> String {
        "\(ensemble)_\(node).\(allocation)"
    }
}
