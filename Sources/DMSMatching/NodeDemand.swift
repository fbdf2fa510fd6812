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

    public init(
        name: String, resources: Resources, executors: Set<ExecutorKind> = [], location: LocationConstraint = .init(),
        pinnedPeer: String? = nil, staticPorts: [Int] = [], dynamicPorts: Int = 0
    ) {
        self.name = name
        self.resources = resources
        self.executors = executors
        self.location = location
        self.pinnedPeer = pinnedPeer
        self.staticPorts = staticPorts
        self.dynamicPorts = dynamicPorts
    }

    /// The demand of `node` as a bid request states it: its allocations' resources summed, their
    /// executors, its public ports (0 asks for a dynamic one), its location rules and pinning. Allocations
    /// missing from `allocations` are skipped (a valid ensemble has them all). Throws if the sum overflows.
    public init(node: NodeSpec, allocations: [String: Allocation]) throws(ResourceError) {
        let members = node.allocations.compactMap { allocations[$0] }
        var total = Resources.zero
        for member in members { total = try total.adding(member.resources) }
        self.init(
            name: node.name, resources: total, executors: Set(members.map(\.executor)), location: node.location,
            pinnedPeer: node.peer, staticPorts: node.ports.map(\.publicPort).filter { $0 != 0 },
            dynamicPorts: node.ports.filter { $0.publicPort == 0 }.count)
    }
}
