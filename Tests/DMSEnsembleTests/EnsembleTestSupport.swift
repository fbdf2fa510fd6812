import DMSEnsemble
import Foundation
import Testing

/// The text of a file in `Fixtures/`, read from the source tree.
func fixture(_ name: String) throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    return try String(contentsOf: url, encoding: .utf8)
}

/// What parsing `yaml` reports; empty when it parses.
func errors(_ yaml: String) -> [EnsembleValidationError] {
    do {
        _ = try EnsembleParser.parse(yaml: yaml)
        return []
    } catch {
        return error.errors
    }
}

/// A valid one-allocation ensemble: allocation `api` (a docker service) with `allocation` replacing or
/// adding its keys (a nil value removes one), and `top` appended as top-level YAML.
func ensembleYAML(allocation overrides: [(String, String?)] = [], top: String = "") -> String {
    var fields: [(String, String)] = [
        ("executor", "docker"), ("type", "service"),
        ("resources", "{cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}"),
        ("execution", "{type: docker, image: alpine}"),
    ]
    for (key, value) in overrides {
        if let index = fields.firstIndex(where: { $0.0 == key }) {
            if let value { fields[index].1 = value } else { fields.remove(at: index) }
        } else if let value {
            fields.append((key, value))
        }
    }
    let body = fields.map { "    \($0.0): \($0.1)\n" }.joined()
    return "version: \"V1\"\nallocations:\n  api:\n\(body)\(top)"
}

/// A second allocation, `web`, to append under `allocations` (as `top` of `ensembleYAML` cannot).
func twoAllocationsYAML(api: [(String, String?)] = [], web extra: String = "", top: String = "") -> String {
    let web = """
          web:
            executor: docker
            type: service
            resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}
            execution: {type: docker, image: nginx}

        """
    return ensembleYAML(allocation: api) + web + extra + top
}

/// One broken rule: a document and the single error it must produce.
struct Broken: Sendable, CustomTestStringConvertible {
    var yaml: String
    var path: String
    var value: String
    var rule: String

    init(_ yaml: String, _ path: String, _ value: String, _ rule: String) {
        self.yaml = yaml
        self.path = path
        self.value = value
        self.rule = rule
    }

    var testDescription: String { "\(path): \(rule)" }

    /// Checks that parsing reports exactly this error.
    func check(sourceLocation: SourceLocation = #_sourceLocation) {
        let found = errors(yaml).map { "\($0.path) | \($0.value) | \($0.rule)" }
        #expect(found == ["\(path) | \(value) | \(rule)"], sourceLocation: sourceLocation)
    }
}
