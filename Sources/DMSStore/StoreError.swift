/// Store failures, each naming the database file so an operator knows what to inspect.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case migrationFailed(path: String, reason: String)
    case closeFailed(path: String, reason: String)
    case queryFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "cannot open store \(path): \(reason)"
        case .migrationFailed(let path, let reason): return "cannot migrate store \(path): \(reason)"
        case .closeFailed(let path, let reason): return "cannot close store \(path): \(reason)"
        case .queryFailed(let path, let reason): return "store \(path): \(reason)"
        }
    }
}
