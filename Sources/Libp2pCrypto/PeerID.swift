import Crypto
import Multiformats

/// A libp2p peer ID: the multihash of the protobuf public key (identity hash when the encoding is at
/// most 42 bytes, as for Ed25519 `12D3KooW…`; SHA-256 otherwise).
public struct PeerID: Sendable, Hashable, CustomStringConvertible {
    public let multihash: Multihash

    public init(publicKey: PublicKey) {
        let encoded = publicKey.protobufBytes
        if encoded.count <= 42 {
            multihash = Multihash(code: .identity, digest: encoded)
        } else {
            multihash = Multihash(code: .sha256, digest: Array(SHA256.hash(data: encoded)))
        }
    }

    /// Parses the base58btc form (`12D3KooW…`, `Qm…`) or a CIDv1 with the libp2p-key codec (`bafz…`).
    public init(_ text: String) throws(CryptoError) {
        guard let bytes = PeerIDText.multihash(text), let multihash = try? Multihash(decoding: bytes) else {
            throw .invalidPeerID(
                peerID: text, reason: "neither a base58btc multihash nor a libp2p-key CID")
        }
        self.multihash = multihash
        if multihash.code == .identity { _ = try publicKey() }
    }

    public init(multihash: Multihash) { self.multihash = multihash }

    public var bytes: [UInt8] { multihash.bytes }
    public var description: String { Base58.encode(multihash.bytes) }

    /// The key embedded in an identity-hash peer ID; SHA-256 peer IDs do not carry their key.
    public func publicKey() throws(CryptoError) -> PublicKey {
        guard multihash.code == .identity else {
            throw .invalidPeerID(peerID: description, reason: "the key is not embedded (SHA-256 peer ID)")
        }
        return try PublicKey(protobufBytes: multihash.digest)
    }

    public func matches(_ key: PublicKey) -> Bool { PeerID(publicKey: key) == self }
}
