import DMSCore

/// `nodes`: groups of allocations placed together on one provider, with their published ports, location
/// rules, pinned peer, standby count and recovery. Every allocation ends up in exactly one node: one that
/// no node lists gets an implicit node of its own, named after it.
struct NodeRules {
    let diagnostics: Diagnostics
    /// The executor of each allocation that could be read, so requirements none of a node's allocations
    /// can honour are refused.
    var executors: [String: ExecutorKind] = [:]

    static let keys = ["allocations", "ports", "location", "peer", "redundancy", "failure_recovery", "requirements"]
    static let publicPortRule = "must be 0 (any free port) or a port from 1025 to 65535"

    /// The explicit nodes, then the implicit ones. `allocations` are the ensemble's allocation names.
    func nodes(_ root: Fields, allocations: [String]) -> [String: NodeSpec] {
        var nodes: [String: NodeSpec] = [:]
        var owners: [String: String] = [:]
        let entries = root["nodes"].flatMap { node in
            if node.entries == nil { root.report("nodes", "must be a mapping of node names to nodes") }
            return node.entries
        }
        for entry in entries ?? [] {
            let path = root.path("nodes").key(entry.key)
            if entry.key.isEmpty { diagnostics.report(path, entry.keyNode, "a node needs a name", showValue: false) }
            if let node = node(named: entry.key, entry.value, at: path, allocations: allocations, owners: &owners) {
                nodes[entry.key] = node
            }
        }
        for name in allocations where owners[name] == nil {
            if let clash = entries?.first(where: { $0.key == name }) {
                diagnostics.report(
                    root.path("nodes").key(name), clash.keyNode,
                    "allocation \"\(name)\" is in no node, so it gets an implicit node of its own with this name: "
                        + "list it in a node or rename this node", showValue: false)
            } else {
                nodes[name] = NodeSpec(name: name, allocations: [name])
            }
        }
        return nodes
    }

    private func node(
        named name: String, _ node: YAMLNode, at path: FieldPath, allocations: [String], owners: inout [String: String]
    ) -> NodeSpec? {
        guard let fields = Fields(node, at: path, known: Self.keys, diagnostics: diagnostics) else { return nil }
        var members: [String] = []
        let items = fields.list("allocations", required: true)
        if items?.isEmpty == true { fields.report("allocations", "must list at least one allocation") }
        for (index, item) in (items ?? []).enumerated() {
            let itemPath = fields.path("allocations").index(index)
            guard let member = Fields.text(item, at: itemPath, allowEmpty: false, diagnostics: diagnostics) else {
                continue
            }
            if !allocations.contains(member) {
                diagnostics.report(itemPath, item, Self.noAllocation(member, among: allocations))
            } else if members.contains(member) {
                diagnostics.report(itemPath, item, "listed twice in this node")
            } else if let owner = owners[member] {
                diagnostics.report(itemPath, item, "already in node \"\(owner)\": an allocation belongs to one node")
            } else {
                owners[member] = name
                members.append(member)
            }
        }
        let ports = self.ports(fields, members: members, allocations: allocations)
        let location = LocationRules(diagnostics: diagnostics).constraint(fields)
        let peer = fields.string("peer")
        if let peer, !PeerIDSyntax.isValid(peer) { fields.report("peer", PeerIDSyntax.rule) }
        let redundancy = fields.integer("redundancy", in: 0...Int.max, rule: "must be a whole number, 0 or more")
        let recovery = fields.choice("failure_recovery", NodeRecovery.self)
        let requirements = RequirementRules(diagnostics: diagnostics).requirement(
            fields, executors: members.compactMap { executors[$0] })
        return NodeSpec(
            name: name, allocations: members, ports: ports, location: location, peer: peer,
            redundancy: redundancy ?? 0, failureRecovery: recovery ?? .stayDown, requirements: requirements)
    }

    /// `{public, private, allocation}` entries: the allocation must be one of the node's, and a public
    /// port other than 0 appears once per node.
    private func ports(_ fields: Fields, members: [String], allocations: [String]) -> [PortMapping] {
        var ports: [PortMapping] = []
        var used: [Int: Int] = [:]
        for (index, item) in (fields.list("ports") ?? []).enumerated() {
            let path = fields.path("ports").index(index)
            let keys = ["public", "private", "allocation"]
            guard let port = Fields(item, at: path, known: keys, diagnostics: diagnostics) else { continue }
            let privatePort = port.integer(
                "private", in: 1...65535, rule: "must be a port from 1 to 65535", required: true)
            var publicPort = port.integer("public", in: 0...65535, rule: Self.publicPortRule, required: true)
            if let number = publicPort, (1...1024).contains(number) {
                port.report("public", Self.publicPortRule)
                publicPort = nil
            }
            if let number = publicPort, number != 0 {
                if let first = used[number] {
                    port.report("public", "public port \(number) is already published on this node by ports[\(first)]")
                } else {
                    used[number] = index
                }
            }
            let allocation = port.string("allocation", required: true)
            if let allocation, !members.contains(allocation) {
                port.report(
                    "allocation",
                    allocations.contains(allocation)
                        ? "must be one of this node's allocations (\(members.joined(separator: ", ")))"
                        : Self.noAllocation(allocation, among: allocations))
            }
            guard let privatePort, let publicPort, let allocation else { continue }
            ports.append(PortMapping(publicPort: publicPort, privatePort: privatePort, allocation: allocation))
        }
        return ports
    }

    /// `no allocation named "x" (did you mean "y"?)`.
    static func noAllocation(_ name: String, among allocations: [String]) -> String {
        let hint = Suggestion.closest(to: name, among: allocations).map { " (did you mean \"\($0)\"?)" } ?? ""
        return "no allocation named \"\(name)\"\(hint)"
    }
}
