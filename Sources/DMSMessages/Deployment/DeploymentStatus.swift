/// Where a deployment is in its life, with the Go DMS's names and numbers (`Generating` is kept for the
/// numbering; this orchestrator goes from Preparing straight to Committing).
public enum DeploymentStatus: Int, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case preparing = 0
    case generating = 1
    case committing = 2
    case provisioning = 3
    case running = 4
    case failed = 5
    case shuttingDown = 6
    case completed = 7

    public var name: String {
        switch self {
        case .preparing: "Preparing"
        case .generating: "Generating"
        case .committing: "Committing"
        case .provisioning: "Provisioning"
        case .running: "Running"
        case .failed: "Failed"
        case .shuttingDown: "ShuttingDown"
        case .completed: "Completed"
        }
    }

    public var description: String { name }

    public init?(name: String) {
        guard let status = Self.allCases.first(where: { $0.name.lowercased() == name.lowercased() }) else {
            return nil
        }
        self = status
    }

    /// Completed and Failed are final: nothing changes a deployment after them.
    public var isTerminal: Bool { self == .completed || self == .failed }

    /// The transitions the orchestrator may make: forward through deployment, back to Preparing to retry
    /// or redeploy, to ShuttingDown from any live state, and to Failed from any live state.
    public func canMove(to next: DeploymentStatus) -> Bool {
        if isTerminal { return false }
        switch next {
        case .failed: return true
        case .shuttingDown: return self != .shuttingDown
        case .completed: return self == .running || self == .shuttingDown
        case .preparing: return self != .shuttingDown
        case .generating: return self == .preparing
        case .committing: return self == .preparing || self == .generating
        case .provisioning: return self == .committing
        case .running: return self == .provisioning
        }
    }
}
