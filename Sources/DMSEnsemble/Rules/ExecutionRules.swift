/// `execution`: how an allocation runs, with a schema per executor chosen by `execution.type` (which must
/// equal the allocation's `executor`).
///
/// `null` is YAML's null, so `executor: null` and `type: null` would read as "no value". Since every
/// YAML null keeps the word it was written with, the parser selects the null executor when the word is
/// `null` (any quoting, or `Null`/`NULL`), and treats `~` or an empty value as missing.
struct ExecutionRules {
    let diagnostics: Diagnostics

    static let keys: [ExecutorKind: [String]] = [
        .docker: [
            "type", "image", "entrypoint", "cmd", "environment", "working_directory", "restart_policy", "privileged",
            "registry_auth",
        ],
        .firecracker: [
            "type", "kernel_image", "root_file_system", "kernel_args", "initrd", "initrd_path", "mmds_message",
        ],
        .wasm: ["type", "module", "entry", "args", "env", "fuel", "timeout"],
        .null: ["type", "exit_code", "seconds", "stdout"],
    ]

    /// The executor named under `key`, reported when missing or unknown.
    static func executorKind(_ fields: Fields, _ key: String) -> ExecutorKind? {
        let names = ExecutorKind.allCases.map(\.rawValue)
        guard let node = fields.node[key] else {
            fields.reportMissing(key, "required: \(Fields.alternatives(names))")
            return nil
        }
        if case .scalar(let word, .null) = node.content {
            guard word.lowercased() == "null" else {
                fields.reportMissing(key, "required: \(Fields.alternatives(names))")
                return nil
            }
            return .null
        }
        guard let text = node.text, let kind = ExecutorKind(rawValue: text) else {
            fields.diagnostics.report(fields.path(key), node, Fields.mustBeOneOf(names, given: node.text))
            return nil
        }
        return kind
    }

    /// The execution of an allocation whose `executor` is `executor` (nil when that was invalid). Without
    /// a valid `type`, the settings are still checked against the executor's schema.
    func execution(
        _ node: YAMLNode, at path: FieldPath, executor: ExecutorKind?, allocationType: AllocationType?
    ) -> Execution? {
        let written = node.entries?.map(\.key) ?? []
        guard let header = Fields(node, at: path, known: written, diagnostics: diagnostics) else { return nil }
        let type = Self.executorKind(header, "type")
        if let type, let executor, type != executor {
            header.report("type", "must equal the allocation's executor, \(executor.rawValue)")
        }
        guard let kind = type ?? executor,
            let fields = Fields(node, at: path, known: Self.keys[kind] ?? [], diagnostics: diagnostics)
        else { return nil }
        switch kind {
        case .docker: return docker(fields).map { .docker($0) }
        case .firecracker: return firecracker(fields).map { .firecracker($0) }
        case .wasm: return wasm(fields).map { .wasm($0) }
        case .null: return null(fields, allocationType: allocationType).map { .null($0) }
        }
    }
}
