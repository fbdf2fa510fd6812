import DMSCore

/// A typed configuration value.
public enum ConfigValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case list([String])

    public var json: JSONValue {
        switch self {
        case .string(let text): return .string(text)
        case .integer(let number): return .integer(number)
        case .boolean(let flag): return .bool(flag)
        case .list(let items): return .array(items.map(JSONValue.string))
        }
    }

    /// How `config get` prints the value: plain text for scalars, compact JSON for lists.
    public var description: String {
        switch self {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .boolean(let flag): return String(flag)
        case .list: return JSONWriter().string(json)
        }
    }

    public var stringValue: String? { if case .string(let text) = self { text } else { nil } }
    public var integerValue: Int? { if case .integer(let number) = self { number } else { nil } }
    public var booleanValue: Bool? { if case .boolean(let flag) = self { flag } else { nil } }
    public var listValue: [String]? { if case .list(let items) = self { items } else { nil } }
}

/// Where an effective value came from, shown by `config show` so users can see why a value is what it is.
public enum ConfigSource: Sendable, Equatable, CustomStringConvertible {
    case defaultValue(note: String?)
    case file(path: String)
    case environment(variable: String)
    case flag(name: String)

    public var description: String {
        switch self {
        case .defaultValue(let note): return note.map { "default (\($0))" } ?? "default"
        case .file(let path): return "file \(path)"
        case .environment(let variable): return "env \(variable)"
        case .flag(let name): return "flag \(name)"
        }
    }
}
