import Crypto

/// A public key that identifies a peer, an actor or a DID. Peers may hold any of libp2p's four key types, so
/// all are verified: Ed25519, RSA and ECDSA with swift-crypto, secp256k1 (plain libp2p and Ethereum-style)
/// through the system libsecp256k1 when it is installed.
public struct PublicKey: Sendable, Hashable {
    public let type: KeyType
    /// The `Data` field of the libp2p protobuf, kept as received so that peer IDs hash the same bytes.
    /// Ed25519: 32 bytes. secp256k1 and Ethereum: 33-byte compressed point. RSA and ECDSA (P-256): DER PKIX
    /// SubjectPublicKeyInfo.
    public let raw: [UInt8]

    public init(type: KeyType, raw: [UInt8]) throws(CryptoError) {
        switch type {
        case .ed25519:
            guard raw.count == 32 else { throw .invalidKey("an Ed25519 public key has 32 bytes, got \(raw.count)") }
        case .secp256k1, .eth:
            guard raw.count == 33, raw[0] == 2 || raw[0] == 3 else {
                throw .invalidKey("a secp256k1 public key is a 33-byte compressed point")
            }
        case .rsa:
            try RSAPeerKey.validate(raw)
        case .ecdsa:
            try ECDSAPeerKey.validate(raw)
        }
        self.type = type
        self.raw = raw
    }

    /// The libp2p `PublicKey` protobuf (`{1: type, 2: data}`); for Ed25519 `08 01 12 20 ‖ key`. The Go DMS
    /// uses these bytes as the actor ID, libp2p hashes them into the peer ID.
    public var protobufBytes: [UInt8] { KeyProtobuf.encode(type: type, data: raw) }

    public init(protobufBytes bytes: [UInt8]) throws(CryptoError) {
        let (type, data) = try KeyProtobuf.decode(bytes, message: "PublicKey")
        guard let keyType = KeyType(rawValue: type) else { throw .unsupportedKeyType("libp2p key type \(type)") }
        try self.init(type: keyType, raw: data)
    }

    /// Whether secp256k1 signatures can be verified here (the system libsecp256k1 is installed).
    public static var canVerifySecp256k1: Bool { Secp256k1.isAvailable }

    /// Checks `signature` over `data`. Throws only when the key type cannot be verified on this machine.
    public func isValidSignature(_ signature: [UInt8], for data: [UInt8]) throws(CryptoError) -> Bool {
        switch type {
        case .ed25519:
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
            return key.isValidSignature(signature, for: data)
        case .secp256k1:
            return try Secp256k1.verify(derSignature: signature, digest: Array(SHA256.hash(data: data)), publicKey: raw)
        case .eth:
            return try Secp256k1.verify(
                derSignature: signature, digest: Keccak256.hash(EthereumMessage.prefixed(data)), publicKey: raw)
        case .rsa:
            return RSAPeerKey.isValidSignature(signature, for: data, key: raw)
        case .ecdsa:
            return ECDSAPeerKey.isValidSignature(signature, for: data, key: raw)
        }
    }
}

/// Ethereum's `personal_sign` framing, used by Ledger-held DMS identities.
enum EthereumMessage {
    static func prefixed(_ data: [UInt8]) -> [UInt8] {
        Array("\u{19}Ethereum Signed Message:\n\(data.count)".utf8) + data
    }
}
