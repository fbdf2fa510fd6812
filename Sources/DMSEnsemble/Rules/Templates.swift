import DMSCore

/// The top-level `resources` and `volumes` templates: named parts an allocation reuses by name
/// (`resources: gpu-small`, a volume `"shared:/data"`, or a mapping whose `name` matches a template, whose
/// own keys then win). Each template is checked once where it is written; what only an allocation can
/// complete (a missing size, a mount point) is checked on the merged result.
struct Templates {
    private let resources: [String: YAMLNode]
    private let volumes: [String: YAMLNode]
    private let diagnostics: Diagnostics

    init(_ root: Fields) {
        diagnostics = root.diagnostics
        resources = Self.templates(root, "resources") { node, path in
            _ = ResourceRules(diagnostics: root.diagnostics).resources(node, at: path, requireAll: false)
        }
        volumes = Self.templates(root, "volumes") { node, path in
            _ = VolumeRules(diagnostics: root.diagnostics).volume(node, at: path, requireAll: false)
        }
    }

    private static func templates(
        _ root: Fields, _ key: String, check: (YAMLNode, FieldPath) -> Void
    ) -> [String: YAMLNode] {
        guard let node = root[key] else { return [:] }
        guard let entries = node.entries else {
            root.report(key, "must be a mapping of template names to \(key) templates")
            return [:]
        }
        var templates: [String: YAMLNode] = [:]
        for entry in entries {
            check(entry.value, root.path(key).key(entry.key))
            templates[entry.key] = entry.value
        }
        return templates
    }

    /// An allocation's `resources` with its template merged in; nil (reported) for an unknown template.
    func resolveResources(_ node: YAMLNode, at path: FieldPath) -> YAMLNode? {
        if let name = node.text {
            guard let template = resources[name] else {
                diagnostics.report(path, node, unknown("resources", name, among: resources))
                return nil
            }
            return YAMLNode(content: template.content, line: node.line, column: node.column)
        }
        guard let nameNode = node["name"] else { return node }
        guard let name = nameNode.text, let template = resources[name] else {
            diagnostics.report(path.key("name"), nameNode, unknown("resources", nameNode.shown, among: resources))
            return nil
        }
        return merge(node.entries?.filter { $0.key != "name" } ?? [], over: template, at: node)
    }

    /// A volume entry with its template merged in: `"name:mountpoint"` needs a template of that name; a
    /// mapping is merged with the template its `name` matches, if any.
    func resolveVolume(_ node: YAMLNode, at path: FieldPath) -> YAMLNode? {
        if let text = node.text {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                diagnostics.report(
                    path, node, "must be name:mountpoint (naming a volumes template) or a volume mapping")
                return nil
            }
            let name = String(parts[0])
            guard let template = volumes[name] else {
                diagnostics.report(path, node, unknown("volumes", name, among: volumes))
                return nil
            }
            let mountPoint = YAMLNode(content: .scalar(String(parts[1]), .string), line: node.line, column: node.column)
            let entry = YAMLNode.Entry(key: "mount_destination", keyNode: mountPoint, value: mountPoint)
            return merge([entry], over: template, at: node)
        }
        guard let name = node["name"]?.text, let template = volumes[name] else { return node }
        return merge(node.entries ?? [], over: template, at: node)
    }

    private func merge(_ entries: [YAMLNode.Entry], over template: YAMLNode, at site: YAMLNode) -> YAMLNode {
        let written = Set(entries.map(\.key))
        let inherited = (template.entries ?? []).filter { !written.contains($0.key) }
        return YAMLNode(content: .mapping(inherited + entries), line: site.line, column: site.column)
    }

    private func unknown(_ kind: String, _ name: String, among templates: [String: YAMLNode]) -> String {
        let hint = Suggestion.closest(to: name, among: templates.keys).map { " (did you mean \"\($0)\"?)" } ?? ""
        return "no \(kind) template named \"\(name)\"\(hint)"
    }
}
