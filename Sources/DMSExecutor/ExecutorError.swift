/// Why an executor could not do what it was asked; `isPermanent` tells a refusal that trying again cannot
/// change from a failure that may pass.
public enum ExecutorError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownExecution(String)
    case alreadyExists(String)
    /// The workload cannot run here however often it is tried (it does not parse, it asks for what the
    /// provider refuses).
    case invalidWorkload(String)
    /// The image, module or other artefact the workload names does not exist where it says.
    case notFound(String)
    case unsupported(String)
    case failed(String)

    public var description: String {
        switch self {
        case .unknownExecution(let id): "unknown execution \(id)"
        case .alreadyExists(let id): "execution \(id) already exists"
        case .invalidWorkload(let reason): "invalid workload: \(reason)"
        case .notFound(let what): what
        case .unsupported(let what): "not supported: \(what)"
        case .failed(let reason): reason
        }
    }

    /// Whether trying again cannot help: an invalid workload, something that does not exist, something
    /// this executor does not do. A failure (a daemon that does not answer, a network error) may pass.
    public var isPermanent: Bool {
        switch self {
        case .invalidWorkload, .notFound, .unsupported: true
        case .unknownExecution, .alreadyExists, .failed: false
        }
    }
}
