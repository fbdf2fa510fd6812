/// `depends_on`: the start order of allocations. A dependency must exist, must not be the allocation
/// itself, must share its node (they start in order on one provider), and dependencies must not form a
/// cycle, which is reported as the path that closes it (`a -> b -> a`).
struct DependencyRules {
    let diagnostics: Diagnostics

    func check(_ drafts: [AllocationRules.Draft], nodes: [String: NodeSpec]) {
        let names = drafts.map(\.name)
        var nodeOf: [String: String] = [:]
        for (nodeName, node) in nodes {
            for allocation in node.allocations { nodeOf[allocation] = nodeName }
        }
        var graph: [String: [String]] = [:]
        for draft in drafts {
            for dependency in draft.dependencies {
                if dependency.name == draft.name {
                    diagnostics.report(dependency.path, dependency.node, "an allocation cannot depend on itself")
                    continue
                }
                guard names.contains(dependency.name) else {
                    diagnostics.report(
                        dependency.path, dependency.node, NodeRules.noAllocation(dependency.name, among: names))
                    continue
                }
                graph[draft.name, default: []].append(dependency.name)
                if let node = nodeOf[draft.name], let other = nodeOf[dependency.name], node != other {
                    diagnostics.report(
                        dependency.path, dependency.node,
                        "must be on the same node as \(draft.name) (\(draft.name) is on node \"\(node)\", "
                            + "\(dependency.name) on node \"\(other)\"): list both in one node")
                }
            }
        }
        for cycle in cycles(in: graph, order: names) {
            let draft = drafts.first { $0.name == cycle[0] }
            let link = draft?.dependencies.first { $0.name == cycle[1 % cycle.count] }
            diagnostics.add(
                EnsembleValidationError(
                    path: (draft?.path ?? .root).key("depends_on").description,
                    value: (cycle + [cycle[0]]).joined(separator: " -> "), rule: "dependencies must not form a cycle",
                    line: link?.node.line))
        }
    }

    /// The cycles a depth-first walk meets, each once, starting from the allocation it reached first.
    private func cycles(in graph: [String: [String]], order: [String]) -> [[String]] {
        var finished: Set<String> = []
        var stack: [String] = []
        var found: [[String]] = []
        var seen: Set<[String]> = []
        func visit(_ name: String) {
            stack.append(name)
            for next in graph[name] ?? [] {
                if let start = stack.firstIndex(of: next) {
                    let cycle = Array(stack[start...])
                    let first = cycle.indices.min { cycle[$0] < cycle[$1] } ?? 0
                    if seen.insert(Array(cycle[first...] + cycle[..<first])).inserted { found.append(cycle) }
                } else if !finished.contains(next) {
                    visit(next)
                }
            }
            stack.removeLast()
            finished.insert(name)
        }
        for name in order where !finished.contains(name) { visit(name) }
        return found
    }
}
