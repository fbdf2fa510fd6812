import DMSCore
import DMSEnsemble

/// What one node of an ensemble needs from a provider. Matching places nodes, not allocations, because
/// a node's allocations must share one provider.
public struct NodeDemand: Sendable, Equatable {
    /// The node's name in the ensemble; unique within one matching.
    public var name: String
    /// The sum of the node's allocations.
    public var resources: Resources
    /// Every executor the node's allocations use; a provider must offer all of them.
    public var executors: Set<ExecutorKind>
    public var location: LocationConstraint
    /// When set, only this peer may host the node, whatever its location rules say (as in the Go DMS).
    public var pinnedPeer: String?
    /// Public ports that must be free on the provider.
    public var staticPorts: [Int]
    /// How many more public ports the provider must pick.
    public var dynamicPorts: Int
    /// What the node asks of a provider beyond resources, executors and ports (which the fields above
    /// carry): price ceilings, run time, connectivity, localities, job types.
    public var terms: ComputeCapability

    public init(
        name: String, resources: Resources, executors: Set<ExecutorKind> = [], location: LocationConstraint = .init(),
        pinnedPeer: String? = nil, staticPorts: [Int] = [], dynamicPorts: Int = 0, terms: ComputeCapability = .init()
    ) {
        self.name = name
        self.resources = resources
        self.executors = executors
        self.location = location
        self.pinnedPeer = pinnedPeer
        self.staticPorts = staticPorts
        self.dynamicPorts = dynamicPorts
        self.terms = terms
    }

    /// The demand of `node` as a bid request states it: its requirement (its allocations' resources and
    /// requirements added up with its own), their executors, its public ports (0 asks for a dynamic one),
    /// its location rules and pinning. Allocations missing from `allocations` are skipped (a valid
    /// ensemble has them all). Throws if the resources overflow.
    public init(node: NodeSpec, allocations: [String: Allocation]) throws(ResourceError) {
        var requirement = try node.requirement(allocations: allocations)
        let (resources, executors) = (requirement.resources, requirement.executors)
        requirement.resources = .zero
        requirement.executors = []
        requirement.connectivity.ports = []
        self.init(
            name: node.name, resources: resources, executors: Set(executors.compactMap(ExecutorKind.init(rawValue:))),
            location: node.location, pinnedPeer: node.peer,
            staticPorts: node.ports.map(\.publicPort).filter { $0 != 0 },
            dynamicPorts: node.ports.filter { $0.publicPort == 0 }.count, terms: requirement)
    }
}
