/// Key, DID and signature problems, phrased for the person who supplied the input.
public enum CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidKey(String)
    case unsupportedKeyType(String)
    case invalidDID(did: String, reason: String)
    case invalidPeerID(peerID: String, reason: String)
    case invalidSignature
    case unavailable(String)

    public var description: String {
        switch self {
        case .invalidKey(let reason): return "invalid key: \(reason)"
        case .unsupportedKeyType(let reason): return "unsupported key type: \(reason)"
        case .invalidDID(let did, let reason): return "invalid DID \"\(did)\": \(reason)"
        case .invalidPeerID(let peerID, let reason): return "invalid peer ID \"\(peerID)\": \(reason)"
        case .invalidSignature: return "signature verification failed"
        case .unavailable(let reason): return reason
        }
    }
}
