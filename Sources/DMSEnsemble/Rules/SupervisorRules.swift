/// `supervisor`: the ensemble's supervision tree, a strategy (`OneForOne` when not given) over
/// allocations, and nested groups under `children`.
struct SupervisorRules {
    let diagnostics: Diagnostics

    static let keys = ["strategy", "allocations", "children"]

    func supervisor(_ root: Fields, allocations: [String]) -> SupervisorSpec? {
        root.fields("supervisor", known: Self.keys).map { spec($0, allocations: allocations) }
    }

    private func spec(_ fields: Fields, allocations: [String]) -> SupervisorSpec {
        let strategy = fields.choice("strategy", SupervisorStrategyName.self) ?? .oneForOne
        var members: [String] = []
        for (index, item) in (fields.list("allocations") ?? []).enumerated() {
            let path = fields.path("allocations").index(index)
            guard let name = Fields.text(item, at: path, allowEmpty: false, diagnostics: diagnostics) else { continue }
            if allocations.contains(name) {
                members.append(name)
            } else {
                diagnostics.report(path, item, NodeRules.noAllocation(name, among: allocations))
            }
        }
        let children = (fields.list("children") ?? []).enumerated().compactMap { index, item in
            Fields(item, at: fields.path("children").index(index), known: Self.keys, diagnostics: diagnostics).map {
                spec($0, allocations: allocations)
            }
        }
        return SupervisorSpec(strategy: strategy, allocations: members, children: children)
    }
}
