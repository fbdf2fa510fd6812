import Foundation

/// A YAML value as the rules read it: anchors, aliases and `<<` merge keys already expanded, keys as
/// strings in document order, and every node with the position it was written at, so an error can point
/// at its line.
struct YAMLNode: Sendable {
    /// What a plain scalar resolved to under YAML 1.1 (quoted scalars are always strings).
    enum ScalarKind: Sendable, Equatable {
        case string
        case null
        case bool(Bool)
        case int(Int)
        case float(Double)
    }

    struct Entry: Sendable {
        var key: String
        /// Where the key itself was written (an unknown key is reported there).
        var keyNode: YAMLNode
        var value: YAMLNode
    }

    enum Content: Sendable {
        case scalar(String, ScalarKind)
        case mapping([Entry])
        case sequence([YAMLNode])
    }

    var content: Content
    /// 1-based.
    var line: Int
    /// 1-based; with the line, it identifies the node, so an error found twice (a template used by two
    /// allocations) is reported once.
    var column: Int

    /// The scalar's text, nil for a null, a mapping or a list.
    var text: String? {
        if case .scalar(let text, let kind) = content, kind != .null { return text }
        return nil
    }

    var isNull: Bool {
        if case .scalar(_, .null) = content { return true }
        return false
    }

    var entries: [Entry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    var items: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The value of `key` in a mapping.
    subscript(key: String) -> YAMLNode? {
        entries?.first { $0.key == key }?.value
    }

    /// How an error shows this value: a scalar's text, `{…}` for a mapping, `[…]` for a list.
    var shown: String {
        switch content {
        case .scalar(let text, _): text
        case .mapping: "{…}"
        case .sequence: "[…]"
        }
    }

    /// A number written as a YAML number or as a string holding one.
    var number: Double? {
        switch content {
        case .scalar(_, .int(let value)): Double(value)
        case .scalar(_, .float(let value)): value
        case .scalar(let text, .string): Double(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    /// An integer written as a YAML integer or as a string holding one.
    var integer: Int? {
        switch content {
        case .scalar(_, .int(let value)): value
        case .scalar(_, .float(let value)): value == value.rounded() && abs(value) < 1e15 ? Int(value) : nil
        case .scalar(let text, .string): Int(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    var bool: Bool? {
        if case .scalar(_, .bool(let value)) = content { return value }
        return nil
    }
}
