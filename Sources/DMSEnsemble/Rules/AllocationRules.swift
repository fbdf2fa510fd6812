import DMSCore

/// One allocation: its executor and execution, type, resources (with templates), DNS name, keys,
/// provisioning scripts, healthcheck, volumes, failure recovery and dependencies. What needs the whole
/// ensemble (unique DNS names, dependencies, nodes) is checked afterwards from the returned draft.
struct AllocationRules {
    let diagnostics: Diagnostics
    let templates: Templates
    let scripts: Set<String>

    static let keys = [
        "executor", "type", "resources", "execution", "dns_name", "keys", "provision", "healthcheck", "volume",
        "volumes", "failure_recovery", "depends_on", "requirements",
    ]

    /// What the ensemble-wide rules need of an allocation, and the allocation itself when its required
    /// parts could be read (the ensemble is built only if nothing at all was reported).
    struct Draft {
        var name: String
        var path: FieldPath
        var dnsName: String
        /// The `dns_name` value, or the allocation's name when it sets none.
        var dnsNameNode: YAMLNode
        var setsDNSName = false
        var dependencies: [(name: String, node: YAMLNode, path: FieldPath)]
        var allocation: Allocation?
    }

    func allocation(named name: String, nameNode: YAMLNode, _ node: YAMLNode, at path: FieldPath) -> Draft {
        var draft = Draft(
            name: name, path: path, dnsName: name, dnsNameNode: nameNode, dependencies: [])
        guard let fields = Fields(node, at: path, known: Self.keys, diagnostics: diagnostics) else { return draft }
        let executor = ExecutionRules.executorKind(fields, "executor")
        let type = fields.choice("type", AllocationType.self, required: true)
        let resources = self.resources(fields)
        let execution = fields["execution"].flatMap {
            ExecutionRules(diagnostics: diagnostics).execution(
                $0, at: fields.path("execution"), executor: executor, allocationType: type)
        }
        if fields["execution"] == nil { fields.reportMissing("execution") }
        if let dnsName = fields.string("dns_name") {
            if DNSName.isValidName(dnsName) {
                draft.dnsName = dnsName
                draft.dnsNameNode = fields["dns_name"] ?? nameNode
                draft.setsDNSName = true
            } else {
                fields.report("dns_name", DNSName.nameRule)
            }
        }
        let keys = KeyRules(diagnostics: diagnostics).keys(fields)
        let provision = self.provision(fields)
        let healthcheck = fields.fields("healthcheck", known: HealthCheckRules.keys).flatMap {
            HealthCheckRules(diagnostics: diagnostics).healthCheck($0, executor: executor)
        }
        let volumes = self.volumes(fields)
        let recovery = fields.choice("failure_recovery", AllocationRecovery.self) ?? .stayDown
        for (index, item) in (fields.list("depends_on") ?? []).enumerated() {
            let itemPath = fields.path("depends_on").index(index)
            if let dependency = Fields.text(item, at: itemPath, allowEmpty: false, diagnostics: diagnostics) {
                draft.dependencies.append((dependency, item, itemPath))
            }
        }
        let requirements = RequirementRules(diagnostics: diagnostics).requirement(
            fields, executors: executor.map { [$0] } ?? [])
        guard let executor, let type, let resources, let execution else { return draft }
        draft.allocation = Allocation(
            name: name, executor: executor, type: type, resources: resources, execution: execution,
            dnsName: draft.dnsName, keys: keys, provision: provision, healthcheck: healthcheck,
            volumes: volumes, failureRecovery: recovery, dependsOn: draft.dependencies.map(\.name),
            requirements: requirements)
        return draft
    }

    private func resources(_ fields: Fields) -> Resources? {
        guard let node = fields["resources"] else {
            fields.reportMissing(
                "resources", "required: cpu.cores, ram.size and disk.size, or a resources template name")
            return nil
        }
        let path = fields.path("resources")
        guard let resolved = templates.resolveResources(node, at: path) else { return nil }
        return ResourceRules(diagnostics: diagnostics).resources(resolved, at: path, requireAll: true)
    }

    /// Script names, each of which must be in the ensemble's `scripts`.
    private func provision(_ fields: Fields) -> [String] {
        guard let items = fields.list("provision") else { return [] }
        var names: [String] = []
        for (index, item) in items.enumerated() {
            let path = fields.path("provision").index(index)
            guard let name = Fields.text(item, at: path, allowEmpty: false, diagnostics: diagnostics) else { continue }
            guard scripts.contains(name) else {
                let hint = Suggestion.closest(to: name, among: scripts).map { " (did you mean \"\($0)\"?)" } ?? ""
                diagnostics.report(path, item, "no script named \"\(name)\" in scripts\(hint)")
                continue
            }
            names.append(name)
        }
        return names
    }

    /// `volume` (the Go DMS's documented key) or `volumes` (its parser's), each entry merged with its
    /// template.
    private func volumes(_ fields: Fields) -> [Volume] {
        if fields["volume"] != nil && fields["volumes"] != nil {
            fields.report("volumes", "give volume or volumes, not both")
        }
        let key = fields["volume"] != nil ? "volume" : "volumes"
        let rules = VolumeRules(diagnostics: diagnostics)
        return (fields.list(key) ?? []).enumerated().compactMap { index, item in
            let path = fields.path(key).index(index)
            return templates.resolveVolume(item, at: path).flatMap { rules.volume($0, at: path, requireAll: true) }
        }
    }
}
