/// Problems with capability context files; each names the context and its file.
public enum ContextStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidName(String)
    case notFound(name: String, path: String)
    case alreadyExists(name: String, path: String)
    case corrupt(path: String, reason: String)
    case keyMismatch(name: String, contextDID: String, keyDID: String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            return
                "context name \"\(name)\" is invalid: use 1-64 letters, digits, '.', '_' or '-', not starting with '.'"
        case .notFound(let name, let path):
            return "capability context \"\(name)\" not found (\(path)); create it with: nunet cap new \(name)"
        case .alreadyExists(let name, let path):
            return "capability context \"\(name)\" already exists (\(path)); use --force to replace it"
        case .corrupt(let path, let reason): return "capability context file \(path) is corrupt: \(reason)"
        case .keyMismatch(let name, let contextDID, let keyDID):
            return "capability context \"\(name)\" belongs to \(contextDID) but key \"\(name)\" is \(keyDID)"
        case .io(let path, let reason): return "cannot access \(path): \(reason)"
        }
    }
}
