import DMSCapabilities
import DMSCrypto
import DMSNetwork

/// Why a message was refused or an operation failed. `code` is stable text for error replies and
/// statistics; the description is for people.
public enum ActorError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case expired
    case badSignature
    case badSender(String)
    case replayed
    case wrongDestination
    case unknownBehavior(String)
    case notAuthorized(String)
    case rateLimited
    case overloaded
    case handlerFailed(String)
    case timeout
    case stopped
    case network(NetworkError)
    case invalidRequest(String)
    /// An error reply from the remote actor.
    case remote(code: String, message: String)

    public var code: String {
        switch self {
        case .malformed: return "malformed"
        case .expired: return "expired"
        case .badSignature: return "bad_signature"
        case .badSender: return "bad_sender"
        case .replayed: return "replayed"
        case .wrongDestination: return "wrong_destination"
        case .unknownBehavior: return "unknown_behavior"
        case .notAuthorized: return "not_authorized"
        case .rateLimited: return "rate_limited"
        case .overloaded: return "overloaded"
        case .handlerFailed: return "handler_failed"
        case .timeout: return "timeout"
        case .stopped: return "stopped"
        case .network: return "network"
        case .invalidRequest: return "invalid_request"
        case .remote(let code, _): return code
        }
    }

    public var description: String {
        switch self {
        case .malformed(let reason): return "malformed message: \(reason)"
        case .expired: return "message expired"
        case .badSignature: return "message signature does not verify"
        case .badSender(let reason): return "bad sender: \(reason)"
        case .replayed: return "message already seen (replay)"
        case .wrongDestination: return "message is not addressed to this actor"
        case .unknownBehavior(let behavior): return "unknown behavior \(behavior)"
        case .notAuthorized(let reason): return "not authorised: \(reason)"
        case .rateLimited: return "rate limited"
        case .overloaded: return "actor overloaded: message queue full"
        case .handlerFailed(let reason): return "behavior failed: \(reason)"
        case .timeout: return "no reply before the deadline"
        case .stopped: return "actor stopped"
        case .network(let error): return error.description
        case .invalidRequest(let reason): return reason
        case .remote(_, let message): return message
        }
    }

    init(_ error: CapabilityError) {
        switch error {
        case .expired: self = .expired
        default: self = .notAuthorized(error.description.replacingOccurrences(of: "not authorised: ", with: ""))
        }
    }
}
