/// Configuration problems. Each message names the file or variable, the key, the value and the rule, so
/// the user can fix it without reading code.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case fileNotFound(path: String)
    case unreadable(path: String, reason: String)
    case malformed(path: String, line: Int, column: Int, reason: String)
    case notAnObject(path: String, key: String?)
    case unknownKey(key: String, source: ConfigSource, suggestion: String?)
    case invalidValue(key: String, value: String, rule: String, source: ConfigSource)
    case inconsistent(reason: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "config file \(path) does not exist"
        case .unreadable(let path, let reason):
            return "cannot read config file \(path): \(reason)"
        case .malformed(let path, let line, let column, let reason):
            return "config file \(path) is not valid JSON: line \(line), column \(column): \(reason)"
        case .notAnObject(let path, let key):
            if let key { return "config file \(path): \"\(key)\" must be an object of settings" }
            return "config file \(path): the document must be a JSON object of sections"
        case .unknownKey(let key, let source, let suggestion):
            let hint = suggestion.map { " (did you mean \"\($0)\"?)" } ?? ""
            return "unknown config key \"\(key)\" in \(source)\(hint)"
        case .invalidValue(let key, let value, let rule, let source):
            return "invalid value for \(key) in \(source): \(value) (allowed: \(rule))"
        case .inconsistent(let reason):
            return "inconsistent configuration: \(reason)"
        case .writeFailed(let path, let reason):
            return "cannot write config file \(path): \(reason)"
        }
    }
}
