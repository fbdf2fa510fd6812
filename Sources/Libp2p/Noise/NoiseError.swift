/// Why a Noise handshake or transport message was refused.
public enum NoiseError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformedMessage(String)
    case decryptionFailed
    case invalidPayload(String)
    case invalidIdentitySignature
    case peerMismatch(expected: String, actual: String)
    case unsupportedIdentityKey(String)
    case nonceExhausted
    case frameTooLarge(Int)

    public var description: String {
        switch self {
        case .malformedMessage(let reason): return "noise: malformed handshake message: \(reason)"
        case .decryptionFailed: return "noise: message failed authentication"
        case .invalidPayload(let reason): return "noise: invalid handshake payload: \(reason)"
        case .invalidIdentitySignature: return "noise: the peer's identity key did not sign its static key"
        case .peerMismatch(let expected, let actual): return "noise: expected peer \(expected), got \(actual)"
        case .unsupportedIdentityKey(let reason): return "noise: \(reason)"
        case .nonceExhausted: return "noise: nonce space exhausted; the connection must be closed"
        case .frameTooLarge(let size): return "noise: frame of \(size) bytes exceeds 65535"
        }
    }
}
