import DMSActor
import DMSEnsemble

/// How an ensemble's allocations are supervised, worked out from its `supervisor` tree and the
/// allocations' `failure_recovery` (pure; the orchestrator builds actor-layer Supervisors from it).
///
/// With a `supervisor` tree, each group gets its strategy and allocations the tree leaves out join the
/// root group. Without one, the root group's strategy is the widest any allocation asks for
/// (`one_for_all` > `rest_for_one` > `one_for_one`). A workload failure of an allocation with
/// `stay_down` fails the deployment; a lost provider is handled by its node's `failure_recovery`.
public struct SupervisionPlan: Sendable, Equatable {
    public indirect enum Member: Sendable, Equatable {
        case allocation(String, RestartPolicy)
        case group(SupervisionPlan)
    }

    public var strategy: SupervisorStrategy
    public var members: [Member]

    public init(strategy: SupervisorStrategy, members: [Member]) {
        self.strategy = strategy
        self.members = members
    }

    public static func plan(for ensemble: Ensemble) -> SupervisionPlan {
        let order = StartOrder.sequence(ensemble)
        func member(_ name: String) -> Member { .allocation(name, restartPolicy(name, in: ensemble)) }
        if let tree = ensemble.supervisor {
            var covered = Set<String>()
            var root = group(tree, order: order, member: member, covered: &covered)
            root.members += order.filter { !covered.contains($0) }.map(member)
            return root
        }
        let recoveries = Set(ensemble.allocations.values.map(\.failureRecovery))
        let strategy: SupervisorStrategy =
            recoveries.contains(.oneForAll) ? .allForOne : recoveries.contains(.restForOne) ? .restForOne : .oneForOne
        return SupervisionPlan(strategy: strategy, members: order.map(member))
    }

    private static func group(
        _ spec: SupervisorSpec, order: [String], member: (String) -> Member, covered: inout Set<String>
    ) -> SupervisionPlan {
        let names = order.filter { spec.allocations.contains($0) && !covered.contains($0) }
        covered.formUnion(names)
        var members = names.map(member)
        for child in spec.children {
            members.append(.group(group(child, order: order, member: member, covered: &covered)))
        }
        return SupervisionPlan(strategy: strategy(spec.strategy), members: members)
    }

    static func strategy(_ name: SupervisorStrategyName) -> SupervisorStrategy {
        switch name {
        case .oneForOne: .oneForOne
        case .allForOne: .allForOne
        case .restForOne: .restForOne
        }
    }

    /// Never restarted when both the allocation and its node say `stay_down`; otherwise a task after a
    /// failure and a service always (a workload failure of a `stay_down` allocation still ends the
    /// deployment: the orchestrator decides that before any restart matters).
    static func restartPolicy(_ name: String, in ensemble: Ensemble) -> RestartPolicy {
        let allocation = ensemble.allocations[name]!
        let nodeRecovery = ensemble.node(of: name).flatMap { ensemble.nodes[$0]?.failureRecovery } ?? .stayDown
        if allocation.failureRecovery == .stayDown && nodeRecovery == .stayDown { return .temporary }
        return allocation.type == .task ? .transient : .permanent
    }

    /// Every allocation in the plan, in start order within groups.
    public var allocations: [String] {
        members.flatMap { member -> [String] in
            switch member {
            case .allocation(let name, _): [name]
            case .group(let plan): plan.allocations
            }
        }
    }
}
