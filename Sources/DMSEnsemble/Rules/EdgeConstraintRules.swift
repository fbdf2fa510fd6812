import DMSCore

/// `edge_constraints`: `{edges: [S, T], rtt, bw}` entries requiring a maximum round trip (ms) and a
/// minimum bandwidth between the providers of two different nodes.
struct EdgeConstraintRules {
    let diagnostics: Diagnostics

    func edges(_ root: Fields, nodes: [String: NodeSpec]) -> [EdgeConstraint] {
        guard let items = root.list("edge_constraints") else { return [] }
        if !items.isEmpty && root["nodes"] == nil {
            root.reportMissing("nodes", "required when edge_constraints are given: the nodes they link")
        }
        return items.enumerated().compactMap { index, item in
            let path = root.path("edge_constraints").index(index)
            guard let edge = Fields(item, at: path, known: ["edges", "rtt", "bw"], diagnostics: diagnostics) else {
                return nil
            }
            let ends = self.ends(edge, nodes: nodes)
            let rtt = edge.integer("rtt", in: 0...Int.max, rule: "must be a round trip in milliseconds, 0 or more")
            let bandwidth = edge.integer("bw", in: 0...Int.max, rule: "must be a bandwidth, 0 or more")
            guard let ends else { return nil }
            return EdgeConstraint(source: ends.0, target: ends.1, rtt: rtt ?? 0, bandwidth: bandwidth ?? 0)
        }
    }

    private func ends(_ edge: Fields, nodes: [String: NodeSpec]) -> (String, String)? {
        guard let items = edge.list("edges", required: true) else { return nil }
        let names = items.compactMap(\.text)
        guard items.count == 2, names.count == 2 else {
            edge.report("edges", "must be a pair of node names: [source, target]")
            return nil
        }
        if names[0] == names[1] { edge.report("edges", "source and target must be different nodes") }
        for (index, name) in names.enumerated() where nodes[name] == nil {
            let hint = Suggestion.closest(to: name, among: nodes.keys).map { " (did you mean \"\($0)\"?)" } ?? ""
            diagnostics.report(edge.path("edges").index(index), items[index], "no node named \"\(name)\"\(hint)")
        }
        return (names[0], names[1])
    }
}
