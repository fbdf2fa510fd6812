import Foundation

/// Reads an ensemble (format V1) from YAML: the only way to build an `Ensemble`, so every ensemble the
/// CLI sends or a node deploys is normalised (bytes, Hz, defaults, one node per allocation) and has
/// passed every rule. All broken rules are reported at once, each with its path, value and line.
///
/// `null` is YAML's null, yet it names the null executor: `executor: null` and `type: null` select it
/// (quoted or not, the word as written is kept), while `~` or an empty value count as missing.
public enum EnsembleParser {
    public static func parse(yaml: String) throws(EnsembleValidationErrors) -> Ensemble {
        let diagnostics = Diagnostics()
        guard let root = YAMLReader.read(yaml, into: diagnostics),
            let ensemble = EnsembleRules(diagnostics: diagnostics).ensemble(root), diagnostics.isEmpty
        else { throw EnsembleValidationErrors(diagnostics.errors) }
        return ensemble
    }

    /// Replaces every WASM module given as a path with its bytes (`inline`), so the ensemble carries the
    /// module itself when it leaves the user's machine. Relative paths are resolved against `directory`
    /// (the YAML file's). A file that is missing or not WASM is an error naming the allocation's module.
    public static func resolveModulePaths(
        _ ensemble: Ensemble, relativeTo directory: URL
    ) throws(EnsembleValidationErrors) -> Ensemble {
        var resolved = ensemble
        var errors: [EnsembleValidationError] = []
        for name in ensemble.allocations.keys.sorted() {
            guard case .wasm(var wasm) = ensemble.allocations[name]?.execution, case .path(let path) = wasm.module
            else { continue }
            let file = path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
            let field = "allocations.\(name).execution.module"
            guard let data = try? Data(contentsOf: file) else {
                errors.append(
                    EnsembleValidationError(path: field, value: file.path, rule: "cannot read the WASM module file"))
                continue
            }
            let bytes = [UInt8](data)
            guard bytes.starts(with: ExecutionRules.wasmMagic) else {
                errors.append(
                    EnsembleValidationError(
                        path: field, value: file.path, rule: "is not a WASM module (its bytes must start with \\0asm)"))
                continue
            }
            wasm.module = .inline(bytes)
            resolved.allocations[name]?.execution = .wasm(wasm)
        }
        guard errors.isEmpty else { throw EnsembleValidationErrors(errors) }
        return resolved
    }
}
