import DMSCore

/// Typed access to one YAML mapping that reports what it cannot read: a missing required key, a value of
/// the wrong shape, a key the schema does not know (with the closest known key). A null value (`key:` or
/// `key: ~`) counts as absent. Each accessor returns nil after reporting, so rules go on to the next field
/// and every error of a document is found in one pass.
struct Fields {
    let node: YAMLNode
    let path: FieldPath
    let diagnostics: Diagnostics

    /// Nil, after reporting, when `node` is not a mapping.
    init?(_ node: YAMLNode, at path: FieldPath, known: [String], diagnostics: Diagnostics) {
        guard let entries = node.entries else {
            diagnostics.report(path, node, "must be a mapping")
            return nil
        }
        self.node = node
        self.path = path
        self.diagnostics = diagnostics
        for entry in entries where !known.contains(entry.key) {
            let hint =
                Suggestion.closest(to: entry.key, among: known).map { "did you mean \"\($0)\"?" }
                ?? "known keys: \(known.joined(separator: ", "))"
            diagnostics.report(path.key(entry.key), entry.keyNode, "unknown key; \(hint)", showValue: false)
        }
    }

    /// Numbers above zero.
    static let positive = Double.leastNonzeroMagnitude...Double.greatestFiniteMagnitude

    /// The value written under `key`, nil when absent or null.
    subscript(key: String) -> YAMLNode? {
        guard let value = node[key], !value.isNull else { return nil }
        return value
    }

    func path(_ key: String) -> FieldPath { path.key(key) }

    /// Reports `key` as missing (at the line of this mapping).
    func reportMissing(_ key: String, _ rule: String = "required") {
        diagnostics.report(path.key(key), node, rule, showValue: false)
    }

    /// Reports `rule` against the value under `key`, or against this mapping when there is none.
    func report(_ key: String, _ rule: String) {
        diagnostics.report(path.key(key), self[key] ?? node, rule, showValue: self[key] != nil)
    }

    /// The mapping under `key`; nil without a report when absent.
    func fields(_ key: String, known: [String], required: Bool = false) -> Fields? {
        guard let value = self[key] else {
            if required { reportMissing(key) }
            return nil
        }
        return Fields(value, at: path.key(key), known: known, diagnostics: diagnostics)
    }

    /// Text; numbers and booleans count as their text. Empty text is an error unless `allowEmpty`.
    func string(_ key: String, required: Bool = false, allowEmpty: Bool = false) -> String? {
        guard let value = self[key] else {
            if required { reportMissing(key) }
            return nil
        }
        return Fields.text(value, at: path.key(key), allowEmpty: allowEmpty, diagnostics: diagnostics)
    }

    /// The items of a list; nil without a report when absent.
    func list(_ key: String, required: Bool = false) -> [YAMLNode]? {
        guard let value = self[key] else {
            if required { reportMissing(key) }
            return nil
        }
        guard let items = value.items else {
            diagnostics.report(path.key(key), value, "must be a list")
            return nil
        }
        return items
    }

    /// A list of texts; nil without a report when absent. Empty items are errors unless `allowEmpty`.
    func strings(_ key: String, required: Bool = false, allowEmpty: Bool = false) -> [String]? {
        list(key, required: required)?.enumerated().compactMap { index, item in
            Fields.text(item, at: path.key(key).index(index), allowEmpty: allowEmpty, diagnostics: diagnostics)
        }
    }

    /// A mapping of names to texts (metadata, scripts, a WASM environment), in document order.
    func stringMap(_ key: String) -> [(key: String, keyNode: YAMLNode, value: String)]? {
        guard let value = self[key] else { return nil }
        guard let entries = value.entries else {
            diagnostics.report(path.key(key), value, "must be a mapping of names to values")
            return nil
        }
        return entries.compactMap { entry in
            Fields.text(entry.value, at: path.key(key).key(entry.key), allowEmpty: true, diagnostics: diagnostics)
                .map { (entry.key, entry.keyNode, $0) }
        }
    }

    func bool(_ key: String) -> Bool? {
        guard let value = self[key] else { return nil }
        guard let bool = value.bool else {
            diagnostics.report(path.key(key), value, "must be true or false")
            return nil
        }
        return bool
    }

    /// A whole number within `range`; `rule` says what is allowed.
    func integer(_ key: String, in range: ClosedRange<Int>, rule: String, required: Bool = false) -> Int? {
        guard let value = self[key] else {
            if required { reportMissing(key, Fields.required(rule)) }
            return nil
        }
        guard let integer = value.integer, range.contains(integer) else {
            diagnostics.report(path.key(key), value, rule)
            return nil
        }
        return integer
    }

    /// A number within `range`; `rule` says what is allowed.
    func number(_ key: String, in range: ClosedRange<Double>, rule: String, required: Bool = false) -> Double? {
        guard let value = self[key] else {
            if required { reportMissing(key, Fields.required(rule)) }
            return nil
        }
        guard let number = value.number, number.isFinite, range.contains(number) else {
            diagnostics.report(path.key(key), value, rule)
            return nil
        }
        return number
    }

    /// Seconds above 0: a number, or a duration such as `30s` or `1m`.
    func seconds(_ key: String) -> Double? {
        guard let node = self[key] else { return nil }
        let rule = "must be a number of seconds above 0 or a duration such as 30s"
        if let seconds = node.number {
            guard seconds > 0, seconds.isFinite else {
                report(key, rule)
                return nil
            }
            return seconds
        }
        guard let text = node.text, let nanoseconds = try? TimeSpec.duration(text) else {
            report(key, rule)
            return nil
        }
        return Double(nanoseconds) / 1e9
    }

    /// One of a fixed set of words, with the closest one suggested for a typo.
    func choice<Choice: RawRepresentable<String> & CaseIterable>(
        _ key: String, _ type: Choice.Type, required: Bool = false
    ) -> Choice? {
        let names = Choice.allCases.map(\.rawValue)
        guard let value = self[key] else {
            if required { reportMissing(key, "required: \(Fields.alternatives(names))") }
            return nil
        }
        guard let text = value.text, let choice = Choice(rawValue: text) else {
            diagnostics.report(path.key(key), value, Fields.mustBeOneOf(names, given: value.text))
            return nil
        }
        return choice
    }

    // MARK: - Shared wording

    /// The rule for a missing value: `must be a port from 1 to 65535` → `required: a port from 1 to 65535`.
    static func required(_ rule: String) -> String {
        "required: " + (rule.hasPrefix("must be ") ? String(rule.dropFirst("must be ".count)) : rule)
    }

    /// `a`, `a or b`, `a, b or c`.
    static func alternatives(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
    }

    /// `must be service or task (did you mean "service"?)`.
    static func mustBeOneOf(_ names: [String], given: String?) -> String {
        let hint = given.flatMap { Suggestion.closest(to: $0, among: names) }.map { " (did you mean \"\($0)\"?)" }
        return "must be \(alternatives(names))\(hint ?? "")"
    }

    /// The text of a scalar, reported when it is a list, a mapping, null or (unless allowed) empty.
    static func text(_ node: YAMLNode, at path: FieldPath, allowEmpty: Bool, diagnostics: Diagnostics) -> String? {
        guard case .scalar(let text, let kind) = node.content, kind != .null else {
            diagnostics.report(path, node, "must be text", showValue: !node.isNull)
            return nil
        }
        guard allowEmpty || !text.isEmpty else {
            diagnostics.report(path, node, "must not be empty")
            return nil
        }
        return text
    }
}
