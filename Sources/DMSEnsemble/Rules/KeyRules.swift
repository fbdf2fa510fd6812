/// An allocation's `keys`: public keys installed in the workload, `ssh` (for the execution user, else
/// root) or `gpg` (which needs a `dest`).
struct KeyRules {
    let diagnostics: Diagnostics

    func keys(_ fields: Fields) -> [KeySpec] {
        var keys: [KeySpec] = []
        for (index, item) in (fields.list("keys") ?? []).enumerated() {
            let path = fields.path("keys").index(index)
            guard let key = Fields(item, at: path, known: ["type", "file", "dest"], diagnostics: diagnostics) else {
                continue
            }
            let type = key.choice("type", KeySpec.KeyType.self, required: true)
            let file = key.string("file", required: true)
            let dest = key.string("dest")
            if type == .gpg && key["dest"] == nil {
                key.reportMissing("dest", "a gpg key needs dest: where to install it")
            }
            guard let type, let file else { continue }
            keys.append(KeySpec(type: type, file: file, dest: dest))
        }
        return keys
    }
}
