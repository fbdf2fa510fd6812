/// Keystore failures. None of them reveals anything about the key material.
public enum KeystoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidName(String)
    case emptyPassphrase
    case keyNotFound(name: String, path: String)
    case alreadyExists(name: String, path: String)
    case wrongPassphrase(name: String)
    case corrupt(path: String, reason: String)
    case unsupported(path: String, reason: String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            return "key name \"\(name)\" is invalid: use 1-64 letters, digits, '.', '_' or '-', not starting with '.'"
        case .emptyPassphrase: return "the passphrase is empty"
        case .keyNotFound(let name, let path): return "key \"\(name)\" not found (\(path))"
        case .alreadyExists(let name, let path): return "key \"\(name)\" already exists (\(path))"
        case .wrongPassphrase(let name): return "wrong passphrase for key \"\(name)\""
        case .corrupt(let path, let reason): return "key file \(path) is corrupt: \(reason)"
        case .unsupported(let path, let reason): return "key file \(path) is not supported: \(reason)"
        case .io(let path, let reason): return "cannot access \(path): \(reason)"
        }
    }
}
