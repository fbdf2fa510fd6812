/// Why onboarding or offboarding was refused; nothing was changed.
public enum OnboardingError: Error, Sendable, Equatable, CustomStringConvertible {
    case capacityNotMet([String])
    case highUsage([String])
    case allocationsRunning([String])
    case notOnboarded
    case failed(String)

    public var description: String {
        switch self {
        case .capacityNotMet(let violations): return "capacity not met: " + violations.joined(separator: "; ")
        case .highUsage(let violations): return "machine has high usage: " + violations.joined(separator: "; ")
        case .allocationsRunning(let ids):
            return
                "\(ids.count) allocation(s) are running (\(ids.joined(separator: ", "))); offboard with --force to stop them first"
        case .notOnboarded: return "machine is not onboarded"
        case .failed(let reason): return reason
        }
    }
}
