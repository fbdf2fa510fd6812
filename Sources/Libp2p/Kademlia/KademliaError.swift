/// Why a DHT request or lookup failed, in words an operator can act on.
public enum KademliaError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case invalidRecord(key: String, reason: String)
    case notFound(String)
    case noPeers
    case stopped

    public var description: String {
        switch self {
        case .malformed(let reason): return "malformed DHT message: \(reason)"
        case .invalidRecord(let key, let reason): return "DHT record \(key) refused: \(reason)"
        case .notFound(let what): return "\(what) was not found in the DHT"
        case .noPeers: return "the DHT routing table is empty: no bootstrap peer has been reached yet"
        case .stopped: return "the DHT is stopped"
        }
    }
}
