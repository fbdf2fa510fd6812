import Yams

/// Reads YAML text into `YAMLNode`s with Yams, which expands anchors and aliases; `<<` merge keys are
/// expanded here (Yams leaves them as ordinary keys). A syntax error or a duplicate key stops reading and
/// becomes one error with its line; a malformed merge is reported and reading goes on.
enum YAMLReader {
    /// The document's root, or nil when the text holds no document or is not YAML.
    static func read(_ yaml: String, into diagnostics: Diagnostics) -> YAMLNode? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            diagnostics.add(syntaxError(error))
            return nil
        } catch {
            diagnostics.add(EnsembleValidationError(path: "", value: "", rule: "invalid YAML: \(error)"))
            return nil
        }
        guard let root else {
            diagnostics.add(EnsembleValidationError(path: "", value: "", rule: "the document is empty", line: 1))
            return nil
        }
        return Converter(diagnostics: diagnostics).convert(root, at: .root)
    }

    private static func syntaxError(_ error: YamlError) -> EnsembleValidationError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let during = context.map { " (\($0.text), from line \($0.mark.line))" } ?? ""
            return EnsembleValidationError(
                path: "", value: "", rule: "invalid YAML: \(problem) at column \(mark.column)\(during)",
                line: mark.line)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return EnsembleValidationError(
                path: "", value: duplicates.joined(separator: ", "),
                rule: "duplicate key: a mapping may name each key once", line: context.mark.line)
        case .reader(let problem, _, _, _):
            return EnsembleValidationError(path: "", value: "", rule: "unreadable YAML: \(problem)")
        default:
            return EnsembleValidationError(path: "", value: "", rule: "invalid YAML: \(error)")
        }
    }

    private struct Converter {
        let diagnostics: Diagnostics

        func convert(_ node: Node, at path: FieldPath) -> YAMLNode {
            let line = node.mark?.line ?? 0
            let column = node.mark?.column ?? 0
            if let mapping = node.mapping {
                return YAMLNode(content: .mapping(entries(of: mapping, at: path)), line: line, column: column)
            }
            if let sequence = node.sequence {
                let items = sequence.enumerated().map { convert($1, at: path.index($0)) }
                return YAMLNode(content: .sequence(items), line: line, column: column)
            }
            let scalar = node.scalar ?? Node.Scalar("", Tag(.null))
            return YAMLNode(content: .scalar(scalar.string, kind(of: node, scalar)), line: line, column: column)
        }

        private func kind(of node: Node, _ scalar: Node.Scalar) -> YAMLNode.ScalarKind {
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: .null
            case .bool: Bool.construct(from: scalar).map { .bool($0) } ?? .string
            case .int: Int.construct(from: scalar).map { .int($0) } ?? .string
            case .float: Double.construct(from: scalar).map { .float($0) } ?? .string
            default: .string
            }
        }

        /// The mapping's entries in document order, with each `<<` replaced by the entries it merges: keys
        /// written in the mapping win over merged ones, and an earlier merge source wins over a later one.
        private func entries(of mapping: Node.Mapping, at path: FieldPath) -> [YAMLNode.Entry] {
            let explicitKeys = Set(mapping.compactMap { isMergeKey($0.key) ? nil : $0.key.scalar?.string })
            var seen: Set<String> = []
            var result: [YAMLNode.Entry] = []
            for (keyNode, valueNode) in mapping {
                let keyPath = path.key(keyNode.scalar?.string ?? "?")
                let key = convert(keyNode, at: keyPath)
                let value = convert(valueNode, at: keyPath)
                if isMergeKey(keyNode) {
                    for entry in merged(value, at: path)
                    where !explicitKeys.contains(entry.key) && !seen.contains(entry.key) {
                        seen.insert(entry.key)
                        result.append(entry)
                    }
                    continue
                }
                guard let name = keyNode.scalar?.string else {
                    diagnostics.report(path, key, "mapping keys must be names, not lists or mappings", showValue: false)
                    continue
                }
                guard !seen.contains(name) else {
                    diagnostics.report(keyPath, key, "duplicate key: a mapping may name each key once")
                    continue
                }
                seen.insert(name)
                result.append(YAMLNode.Entry(key: name, keyNode: key, value: value))
            }
            return result
        }

        private func isMergeKey(_ key: Node) -> Bool {
            key.scalar != nil && key.tag.rawValue == Tag.Name.merge.rawValue
        }

        private func merged(_ value: YAMLNode, at path: FieldPath) -> [YAMLNode.Entry] {
            if let entries = value.entries { return entries }
            if let items = value.items, items.allSatisfy({ $0.entries != nil }) {
                return items.flatMap { $0.entries ?? [] }
            }
            diagnostics.report(
                path.key("<<"), value, "the value of a << merge key must be a mapping or a list of mappings")
            return []
        }
    }
}
