import DMSCore
import Foundation

/// One configuration setting: its dotted name, type and rule, default and one-line meaning. The schema
/// is data, so file parsing, environment overrides, `config get/set` and documentation share one truth.
public struct ConfigKey: Sendable {
    /// The type of a setting together with the rule its values must satisfy.
    public enum Kind: Sendable {
        case string(ConfigRule<String>)
        case integer(ClosedRange<Int>)
        case boolean
        case list(ConfigRule<String>)
        case choice([String])
    }

    public let name: String
    public let kind: Kind
    public let summary: String
    let defaultValue: @Sendable (ConfigDefaultsContext) -> (ConfigValue, note: String?)

    init(
        _ name: String, _ kind: Kind, _ summary: String,
        default defaultValue: @escaping @Sendable (ConfigDefaultsContext) -> (ConfigValue, note: String?)
    ) {
        self.name = name
        self.kind = kind
        self.summary = summary
        self.defaultValue = defaultValue
    }

    init(_ name: String, _ kind: Kind, _ summary: String, default value: ConfigValue) {
        self.init(name, kind, summary, default: { _ in (value, nil) })
    }

    public var section: String { String(name.prefix(while: { $0 != "." })) }
    public var field: String { String(name.drop(while: { $0 != "." }).dropFirst()) }
    /// The environment variable that overrides this key: `DMS_<SECTION>_<KEY>`.
    public var environmentVariable: String { "DMS_" + name.replacingOccurrences(of: ".", with: "_").uppercased() }

    /// What values are allowed, in words.
    public var rule: String {
        switch kind {
        case .string(let rule): return rule.description
        case .integer(let range): return "an integer from \(range.lowerBound) to \(range.upperBound)"
        case .boolean: return "true or false"
        case .list(let rule): return "a list of \(rule.description)"
        case .choice(let options): return "one of " + options.joined(separator: ", ")
        }
    }

    /// Converts a value from a JSON config file.
    func value(fromJSON json: JSONValue, source: ConfigSource) throws(ConfigError) -> ConfigValue {
        let shown = JSONWriter().string(json)
        switch (kind, json) {
        case (.string, .string(let text)), (.choice, .string(let text)):
            return try value(fromText: text, source: source, shown: shown)
        case (.integer, .number(let literal)):
            return try value(fromText: literal, source: source, shown: shown)
        case (.boolean, .bool(let flag)):
            return .boolean(flag)
        case (.list(let rule), .array(let elements)):
            var items: [String] = []
            for element in elements {
                guard case .string(let text) = element else { throw invalid(shown, source) }
                guard rule.check(text) else { throw invalid(shown, source) }
                items.append(text)
            }
            return .list(items)
        default:
            throw invalid(shown, source)
        }
    }

    /// Converts a value given as text (environment variable, flag, `config set`). Lists are a JSON
    /// array or a comma-separated string.
    public func value(fromText text: String, source: ConfigSource, shown: String? = nil) throws(ConfigError)
        -> ConfigValue
    {
        let shown = shown ?? "\"\(text)\""
        switch kind {
        case .string(let rule):
            guard rule.check(text) else { throw invalid(shown, source) }
            return .string(text)
        case .integer(let range):
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
                throw invalid(shown, source)
            }
            return .integer(number)
        case .boolean:
            switch text.lowercased() {
            case "true", "1", "yes", "on": return .boolean(true)
            case "false", "0", "no", "off": return .boolean(false)
            default: throw invalid(shown, source)
            }
        case .choice(let options):
            guard let match = options.first(where: { $0.lowercased() == text.lowercased() }) else {
                throw invalid(shown, source)
            }
            return .string(match)
        case .list:
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") {
                guard let json = try? JSONParser.parse(trimmed) else { throw invalid(shown, source) }
                return try value(fromJSON: json, source: source)
            }
            let items = trimmed.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            return try value(fromJSON: .array(items.map(JSONValue.string)), source: source)
        }
    }

    private func invalid(_ shown: String, _ source: ConfigSource) -> ConfigError {
        .invalidValue(key: name, value: shown, rule: rule, source: source)
    }
}

/// A named predicate over a string setting; the description completes "allowed: ...".
public struct ConfigRule<Value>: Sendable {
    public let description: String
    let check: @Sendable (Value) -> Bool
}

/// What default values may depend on: the host and the values resolved so far (the log file lives in the
/// data directory, wherever that is).
struct ConfigDefaultsContext {
    let environment: HostEnvironment
    let resolved: [String: ConfigValue]
}
