import DMSCrypto

/// Why a token, chain or capability operation was refused. Messages name the rule that failed.
public enum CapabilityError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidCapability(String)
    case malformedToken(String)
    case unsupportedToken(String)
    case badSignature(issuer: String)
    case expired
    case notAuthorized(String)
    case depthExceeded
    case revoked
    case tooBig(size: Int, limit: Int)
    case untrustedIssuer(String)
    case locked(context: String)
    case crypto(CryptoError)

    public var description: String {
        switch self {
        case .invalidCapability(let path):
            return
                "invalid capability \"\(path)\": use an absolute path such as /dms/node or / (no empty segments, spaces or trailing slash)"
        case .malformedToken(let reason): return "malformed token: \(reason)"
        case .unsupportedToken(let reason): return "unsupported token: \(reason)"
        case .badSignature(let issuer): return "bad token signature by \(issuer)"
        case .expired: return "token expired (or a link of its chain expires before it)"
        case .notAuthorized(let reason): return "not authorised: \(reason)"
        case .depthExceeded: return "not authorised: the chain is deeper than a token's depth allows"
        case .revoked: return "not authorised: the token or a link of its chain has been revoked"
        case .tooBig(let size, let limit): return "capability tokens too big: \(size) bytes, limit \(limit)"
        case .untrustedIssuer(let reason): return "cannot verify the issuer: \(reason)"
        case .locked(let context): return "capability context \(context) has no signing key loaded"
        case .crypto(let error): return error.description
        }
    }
}
