import DMSCore
import DMSStore

/// Why a resource-manager operation was refused; the state is unchanged in every case.
public enum ResourceManagerError: Error, Sendable, Equatable, CustomStringConvertible {
    case notOnboarded
    case alreadyCommitted(String)
    case notCommitted(String)
    case alreadyAllocated(String)
    case notAllocated(String)
    case insufficient(ResourceError)
    case belowInUse(ResourceError)
    case store(StoreError)

    public var description: String {
        switch self {
        case .notOnboarded: return "machine is not onboarded"
        case .alreadyCommitted(let id): return "resources already committed for allocation \(id)"
        case .notCommitted(let id): return "resources not committed for allocation \(id)"
        case .alreadyAllocated(let id): return "resources already allocated for allocation \(id)"
        case .notAllocated(let id): return "resources not allocated for allocation \(id)"
        case .insufficient(let error): return "not enough free resources: \(error)"
        case .belowInUse(let error):
            return "onboarded resources would not cover what is committed and allocated: \(error)"
        case .store(let error): return error.description
        }
    }
}
