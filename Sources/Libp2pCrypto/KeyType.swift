/// Key types as numbered in the libp2p `KeyType` protobuf enum, plus the Go DMS's custom Ethereum
/// (Ledger) type.
public enum KeyType: UInt64, Sendable, CustomStringConvertible {
    case rsa = 0
    case ed25519 = 1
    case secp256k1 = 2
    case ecdsa = 3
    /// secp256k1 key whose signatures follow Ethereum's personal-message convention (Go DMS type 127).
    case eth = 127

    public var description: String {
        switch self {
        case .rsa: return "RSA"
        case .ed25519: return "Ed25519"
        case .secp256k1: return "secp256k1"
        case .ecdsa: return "ECDSA"
        case .eth: return "Ethereum secp256k1"
        }
    }
}
