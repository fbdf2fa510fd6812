import DMSActor
import DMSEnsemble

/// How an ensemble's allocations are supervised, worked out from its `supervisor` tree and the
/// allocations' `failure_recovery` (pure; the orchestrator builds actor-layer Supervisors from it).
///
/// With a `supervisor` tree, each group gets its strategy and allocations the tree leaves out join the
/// root group. Without one, the root group's strategy is the widest any allocation asks for
/// (`one_for_all` > `rest_for_one` > `one_for_one`). An allocation with `stay_down` is never restarted
/// (its failure fails the deployment); a task is restarted only after a failure; a service always.
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
        func member(_ name: String) -> Member { .allocation(name, restartPolicy(ensemble.allocations[name]!)) }
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

    static func restartPolicy(_ allocation: Allocation) -> RestartPolicy {
        if allocation.failureRecovery == .stayDown { return .temporary }
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
