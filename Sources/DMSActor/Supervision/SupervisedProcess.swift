/// Anything a supervisor can watch and stop: actors, nested supervisors, allocations.
public protocol SupervisedProcess: Sendable {
    /// Returns when the process ends, saying how.
    func waitForExit() async -> ProcessExit
    /// Ends the process normally.
    func stop() async
}

public enum ProcessExit: Sendable, Equatable {
    case normal
    case failure(String)
}

extension BasicActor: SupervisedProcess {
    public func waitForExit() async -> ProcessExit {
        switch await waitForExit() as ActorExit {
        case .normal: return .normal
        case .failure(let error): return .failure(error.description)
        }
    }
}
