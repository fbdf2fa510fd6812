import Libp2pCrypto
import Multiformats

/// A signed statement a Go DMS node keeps in the DHT under `/nunet-dht-1/-<key>-<peerID>`
/// (`proto/v1/common/common.proto`): who says it, when, what, and the Ed25519 key that signed it.
public struct Advertisement: Sendable, Equatable {
    public static let namespace = "nunet-dht-1"

    public var peerID: String
    /// Unix seconds.
    public var timestamp: Int64
    public var data: [UInt8]
    public var signature: [UInt8]
    /// The raw 32-byte Ed25519 public key.
    public var publicKey: [UInt8]

    /// The DHT key a peer's advertisement for `key` lives under.
    public static func recordKey(_ key: String, peer: String) -> String { "/\(namespace)/-\(key)-\(peer)" }

    /// Signed by `identity` now.
    public init(data: [UInt8], identity: PrivateKey, timestamp: Int64) {
        peerID = PeerID(publicKey: identity.publicKey).description
        self.timestamp = timestamp
        self.data = data
        publicKey = identity.publicKey.raw
        signature = []
        signature = identity.sign(signedBytes)
    }

    /// What the Go DMS signs: the peer ID text, only the lowest byte of the timestamp (a quirk kept for
    /// compatibility), the data and the raw key.
    var signedBytes: [UInt8] {
        Array(peerID.utf8) + [UInt8(truncatingIfNeeded: timestamp & 0xff)] + data + publicKey
    }

    public var bytes: [UInt8] {
        var writer = ProtobufWriter()
        if !peerID.isEmpty { writer.bytes(field: 1, Array(peerID.utf8)) }
        if timestamp != 0 { writer.varint(field: 2, UInt64(bitPattern: timestamp)) }
        if !data.isEmpty { writer.bytes(field: 3, data) }
        if !signature.isEmpty { writer.bytes(field: 4, signature) }
        if !publicKey.isEmpty { writer.bytes(field: 5, publicKey) }
        return writer.bytes
    }

    public init(bytes: [UInt8]) throws(AdvertisementError) {
        guard let fields = try? ProtobufReader.fields(bytes) else { throw .malformed("not a protobuf") }
        peerID = ""
        timestamp = 0
        data = []
        signature = []
        publicKey = []
        for (field, value) in fields {
            switch (field, value) {
            case (1, .bytes(let text)):
                guard let id = String(validating: text, as: UTF8.self) else { throw .malformed("peer_id is not UTF-8") }
                peerID = id
            case (2, .varint(let raw)): timestamp = Int64(bitPattern: raw)
            case (3, .bytes(let bytes)): data = bytes
            case (4, .bytes(let bytes)): signature = bytes
            case (5, .bytes(let bytes)): publicKey = bytes
            default: throw .malformed("unexpected field \(field)")
            }
        }
    }

    /// Checks the signature, and that the key is the one the peer ID names.
    public func verify() throws(AdvertisementError) {
        guard let key = try? PublicKey(type: .ed25519, raw: publicKey) else {
            throw .invalid("public_key must be a 32-byte Ed25519 key, got \(publicKey.count) bytes")
        }
        guard let claimed = try? PeerID(peerID), claimed.matches(key) else {
            throw .invalid("peer_id \(peerID) is not the peer of the signing key")
        }
        guard (try? key.isValidSignature(signature, for: signedBytes)) == true else {
            throw .invalid("the signature does not verify")
        }
    }
}

public enum AdvertisementError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .malformed(let reason): return "malformed advertisement: \(reason)"
        case .invalid(let reason): return "invalid advertisement: \(reason)"
        }
    }
}
