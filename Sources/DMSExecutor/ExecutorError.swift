public enum ExecutorError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownExecution(String)
    case alreadyExists(String)
    case invalidWorkload(String)
    case unsupported(String)
    case failed(String)

    public var description: String {
        switch self {
        case .unknownExecution(let id): "unknown execution \(id)"
        case .alreadyExists(let id): "execution \(id) already exists"
        case .invalidWorkload(let reason): "invalid workload: \(reason)"
        case .unsupported(let what): "not supported: \(what)"
        case .failed(let reason): reason
        }
    }
}
