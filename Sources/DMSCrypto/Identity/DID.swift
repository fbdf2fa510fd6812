import Multiformats

/// A decentralised identifier. The DMS resolves `did:key` locally: the key is in the identifier
/// (`did:key:z` + base58btc(multicodec ‖ raw key)), so no lookup is needed to verify a signature.
public struct DID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let uri: String

    /// Multicodec prefixes of the key types did:key can carry here.
    enum Multicodec: UInt64 {
        case ed25519 = 0xED
        case secp256k1 = 0xE7
        case eth = 0xEF01
        case cardano = 0xEF02
    }

    /// Wraps a DID string after a syntax check (`did:<method>:<id>`); use `publicKey()` to resolve it.
    public init(_ uri: String) throws(CryptoError) {
        // did:<method>:<identifier>, checked on the UTF-8 bytes (DIDs are parsed on every message).
        let utf8 = uri.utf8
        guard utf8.starts(with: "did:".utf8) else {
            throw .invalidDID(did: uri, reason: "a DID has the form did:<method>:<identifier>")
        }
        let method = utf8.dropFirst(4).prefix { $0 != UInt8(ascii: ":") }
        guard !method.isEmpty, utf8.count > 4 + method.count + 1 else {
            throw .invalidDID(did: uri, reason: "a DID has the form did:<method>:<identifier>")
        }
        guard method.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }) else {
            throw .invalidDID(did: uri, reason: "the method name must be lowercase letters and digits")
        }
        self.uri = uri
    }

    /// The empty DID (Go's `did.DID{}`), used where a token has no audience.
    public static let empty = DID(unchecked: "")

    init(unchecked uri: String) { self.uri = uri }

    public var isEmpty: Bool { uri.isEmpty }
    public var description: String { uri }
    public var method: String { String(uri.split(separator: ":").dropFirst().first ?? "") }

    public static func < (lhs: DID, rhs: DID) -> Bool { lhs.uri < rhs.uri }

    /// The `did:key` of an Ed25519, secp256k1 or Ethereum key. RSA and ECDSA keys only identify libp2p peers
    /// and have no DID here; callers holding a peer's key check its type first.
    public init(publicKey: PublicKey) {
        let codec: Multicodec
        switch publicKey.type {
        case .ed25519: codec = .ed25519
        case .secp256k1: codec = .secp256k1
        case .eth: codec = .eth
        case .rsa, .ecdsa: preconditionFailure("\(publicKey.type) keys have no did:key here; check the type first")
        }
        uri = "did:key:" + Multibase.encode(Varint.encode(codec.rawValue) + publicKey.raw, as: .base58btc)
    }

    /// Parses and validates a did:key, returning the DID and its key.
    public static func key(_ uri: String) throws(CryptoError) -> DID {
        let did = try DID(uri)
        _ = try did.publicKey()
        return did
    }

    /// The public key inside a `did:key`.
    public func publicKey() throws(CryptoError) -> PublicKey {
        guard method == "key" else {
            throw .unsupportedKeyType("DID method \"\(method)\" cannot be resolved here; only did:key is supported")
        }
        let identifier = String(uri.dropFirst("did:key:".count))
        guard identifier.first == "z" else {
            throw .invalidDID(did: uri, reason: "did:key identifiers must be base58btc multibase (start with 'z')")
        }
        guard let bytes = Base58.decode(identifier.dropFirst()) else {
            throw .invalidDID(did: uri, reason: "the identifier is not valid base58btc")
        }
        guard let (code, length) = try? Varint.decode(bytes) else {
            throw .invalidDID(did: uri, reason: "the identifier has no multicodec prefix")
        }
        let raw = Array(bytes.dropFirst(length))
        do {
            switch Multicodec(rawValue: code) {
            case .ed25519: return try PublicKey(type: .ed25519, raw: raw)
            case .secp256k1: return try PublicKey(type: .secp256k1, raw: raw)
            case .eth: return try PublicKey(type: .eth, raw: raw)
            case .cardano:
                throw CryptoError.unsupportedKeyType("Cardano (multicodec 0xef02) keys cannot be verified here")
            case nil:
                throw CryptoError.invalidDID(
                    did: uri, reason: "unknown multicodec 0x\(String(code, radix: 16)) for a did:key")
            }
        } catch let error as CryptoError {
            if case .invalidKey(let reason) = error { throw .invalidDID(did: uri, reason: reason) }
            throw error
        } catch {
            throw .invalidDID(did: uri, reason: "\(error)")
        }
    }
}
