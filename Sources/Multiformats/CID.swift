/// A version-1 content identifier: `varint(1) ‖ varint(codec) ‖ multihash`. libp2p uses it for peer IDs
/// (codec libp2p-key) and for DHT provider keys (codec raw over a SHA-256 multihash).
public struct CID: Sendable, Hashable, CustomStringConvertible {
    public static let raw: UInt64 = 0x55
    public static let libp2pKey: UInt64 = 0x72

    public let codec: UInt64
    /// The multihash bytes.
    public let multihash: [UInt8]

    public init(codec: UInt64, multihash: Multihash) {
        self.codec = codec
        self.multihash = multihash.bytes
    }

    public enum DecodingError: Error, Sendable, Equatable {
        case notVersion1
        case truncated
        case invalidMultihash
    }

    public init(bytes: [UInt8]) throws(DecodingError) {
        guard let (version, versionLength) = try? Varint.decode(bytes), version == 1 else { throw .notVersion1 }
        guard let (codec, codecLength) = try? Varint.decode(bytes.dropFirst(versionLength)) else { throw .truncated }
        let multihash = Array(bytes.dropFirst(versionLength + codecLength))
        guard (try? Multihash(decoding: multihash)) != nil else { throw .invalidMultihash }
        self.codec = codec
        self.multihash = multihash
    }

    public var bytes: [UInt8] { Varint.encode(1) + Varint.encode(codec) + multihash }

    /// The canonical text form: base32 lower case with the `b` multibase prefix.
    public var description: String { Multibase.encode(bytes, as: .base32) }
}
