import Crypto

/// An Ed25519 signing key: the only key type the DMS generates.
public struct PrivateKey: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    public init() { key = Curve25519.Signing.PrivateKey() }

    /// From the 32-byte seed.
    public init(seed: [UInt8]) throws(CryptoError) {
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        } catch {
            throw .invalidKey("an Ed25519 seed has 32 bytes, got \(seed.count)")
        }
    }

    public var seed: [UInt8] { Array(key.rawRepresentation) }

    public var publicKey: PublicKey {
        // 32 raw bytes from swift-crypto always form a valid Ed25519 public key.
        try! PublicKey(type: .ed25519, raw: Array(key.publicKey.rawRepresentation))
    }

    public func sign(_ data: [UInt8]) -> [UInt8] {
        // Signing with a valid key cannot fail.
        Array(try! key.signature(for: data))
    }

    /// The libp2p `PrivateKey` protobuf as go-libp2p marshals Ed25519 keys: data is seed ‖ public key.
    public var protobufBytes: [UInt8] { KeyProtobuf.encode(type: .ed25519, data: seed + publicKey.raw) }

    public init(protobufBytes bytes: [UInt8]) throws(CryptoError) {
        let (type, data) = try KeyProtobuf.decode(bytes, message: "PrivateKey")
        guard type == KeyType.ed25519.rawValue else {
            throw .unsupportedKeyType("only Ed25519 private keys can be used, got libp2p key type \(type)")
        }
        guard data.count == 64 || data.count == 32 else {
            throw .invalidKey("Ed25519 key data has the wrong length")
        }
        try self.init(seed: Array(data.prefix(32)))
        if data.count == 64, Array(data.suffix(32)) != publicKey.raw {
            throw .invalidKey("the embedded public key does not match the seed")
        }
    }
}
