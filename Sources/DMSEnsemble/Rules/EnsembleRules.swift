/// The whole document: the top-level settings, then the allocations, then what links them (unique DNS
/// names, nodes, dependencies, edge constraints, the supervision tree). The ensemble is built only when
/// nothing was reported.
struct EnsembleRules {
    let diagnostics: Diagnostics

    static let keys = [
        "version", "allocations", "nodes", "edge_constraints", "supervisor", "keys", "scripts", "subnet",
        "exclude_peers", "metadata", "contracts", "escalation_strategy", "resources", "volumes",
    ]

    func ensemble(_ root: YAMLNode) -> Ensemble? {
        guard let fields = Fields(root, at: .root, known: Self.keys, diagnostics: diagnostics) else { return nil }
        let version = fields.string("version")
        if fields["version"] == nil {
            fields.reportMissing("version", "required: \"V1\"")
        } else if let version, version != "V1" {
            fields.report("version", "must be \"V1\"")
        }
        let scripts = Dictionary(
            (fields.stringMap("scripts") ?? []).map { ($0.key, Array($0.value.utf8)) }, uniquingKeysWith: { $1 })
        let keys = Dictionary((fields.stringMap("keys") ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        let templates = Templates(fields)
        let drafts = allocations(fields, templates: templates, scripts: Set(scripts.keys))
        checkDNSNames(drafts)
        let names = drafts.map(\.name)
        let executors = Dictionary(
            drafts.compactMap { draft in draft.allocation.map { (draft.name, $0.executor) } }, uniquingKeysWith: { $1 })
        let nodes = NodeRules(diagnostics: diagnostics, executors: executors).nodes(fields, allocations: names)
        DependencyRules(diagnostics: diagnostics).check(drafts, nodes: nodes)
        let edges = EdgeConstraintRules(diagnostics: diagnostics).edges(fields, nodes: nodes)
        let supervisor = SupervisorRules(diagnostics: diagnostics).supervisor(fields, allocations: names)
        let subnet = fields.fields("subnet", known: ["join"]).flatMap { subnet -> SubnetSpec? in
            if subnet["join"] == nil { subnet.reportMissing("join", "required: true or false") }
            return subnet.bool("join").map { SubnetSpec(join: $0) }
        }
        let excludePeers = fields.strings("exclude_peers") ?? []
        let metadata = Dictionary(
            (fields.stringMap("metadata") ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        let contracts = self.contracts(fields)
        let escalation = fields.choice("escalation_strategy", EscalationStrategy.self)
        guard diagnostics.isEmpty else { return nil }
        return Ensemble(
            allocations: Dictionary(
                drafts.compactMap { draft in draft.allocation.map { (draft.name, $0) } }, uniquingKeysWith: { $1 }),
            nodes: nodes, edges: edges, supervisor: supervisor, keys: keys, scripts: scripts, subnet: subnet,
            excludePeers: excludePeers, metadata: metadata, contracts: contracts, escalationStrategy: escalation)
    }

    /// At least one; names are DNS labels, unique ignoring case.
    private func allocations(_ fields: Fields, templates: Templates, scripts: Set<String>) -> [AllocationRules.Draft] {
        guard let node = fields["allocations"] else {
            fields.reportMissing("allocations", "required: at least one allocation")
            return []
        }
        guard let entries = node.entries else {
            fields.report("allocations", "must be a mapping of allocation names to allocations")
            return []
        }
        if entries.isEmpty { fields.report("allocations", "must define at least one allocation") }
        let rules = AllocationRules(diagnostics: diagnostics, templates: templates, scripts: scripts)
        var lowercased: [String: String] = [:]
        return entries.map { entry in
            let path = fields.path("allocations").key(entry.key)
            let folded = entry.key.lowercased()
            if !DNSName.isValidLabel(entry.key) {
                diagnostics.report(path, entry.keyNode, DNSName.labelRule)
            } else if let other = lowercased[folded] {
                diagnostics.report(
                    path, entry.keyNode, "allocation names must be unique ignoring case: \"\(other)\" exists")
            } else {
                lowercased[folded] = entry.key
            }
            return rules.allocation(named: entry.key, nameNode: entry.keyNode, entry.value, at: path)
        }
    }

    /// DNS names (each allocation's name unless it sets `dns_name`) are unique, ignoring case as DNS does.
    /// Two names that differ only in case were already reported as allocation names.
    private func checkDNSNames(_ drafts: [AllocationRules.Draft]) {
        var owners: [String: AllocationRules.Draft] = [:]
        for draft in drafts {
            let key = draft.dnsName.lowercased()
            guard let owner = owners[key] else {
                owners[key] = draft
                continue
            }
            if draft.setsDNSName || owner.setsDNSName {
                diagnostics.report(
                    draft.path.key("dns_name"), draft.dnsNameNode,
                    "must be unique: allocation \"\(owner.name)\" has the same DNS name")
            }
        }
    }

    /// `name: {did, host}`, both DIDs.
    private func contracts(_ fields: Fields) -> [String: ContractSpec] {
        guard let node = fields["contracts"] else { return [:] }
        guard let entries = node.entries else {
            fields.report("contracts", "must be a mapping of contract names to {did, host}")
            return [:]
        }
        var contracts: [String: ContractSpec] = [:]
        for entry in entries {
            let path = fields.path("contracts").key(entry.key)
            guard let contract = Fields(entry.value, at: path, known: ["did", "host"], diagnostics: diagnostics) else {
                continue
            }
            let did = contract.string("did", required: true)
            let host = contract.string("host", required: true)
            for (key, value) in [("did", did), ("host", host)] where value.map({ !$0.hasPrefix("did:") }) ?? false {
                contract.report(key, "must be a DID, starting with did:")
            }
            if let did, let host { contracts[entry.key] = ContractSpec(did: did, host: host) }
        }
        return contracts
    }
}
