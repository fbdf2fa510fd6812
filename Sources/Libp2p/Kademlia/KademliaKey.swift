import Crypto
import Libp2pCrypto

/// A point in the DHT's keyspace: the SHA-256 of a peer ID's bytes or of a record or provider key.
/// Closeness is the XOR of two points read as a 256-bit big-endian number.
public struct KademliaKey: Sendable, Hashable, Comparable {
    /// 32 bytes.
    public let bytes: [UInt8]

    public init(hashing data: [UInt8]) { bytes = Array(SHA256.hash(data: data)) }

    public init(peer: PeerID) { self.init(hashing: peer.bytes) }

    /// A point given directly (e.g. a random point in a bucket to refresh); `bytes` must be 32 long.
    init(point bytes: [UInt8]) {
        precondition(bytes.count == 32, "a Kademlia key has 32 bytes")
        self.bytes = bytes
    }

    public func distance(to other: KademliaKey) -> KademliaKey {
        KademliaKey(point: zip(bytes, other.bytes).map { $0 ^ $1 })
    }

    /// How many leading bits the two keys share: the index of the bucket one belongs to in the other's table.
    public func commonPrefixLength(with other: KademliaKey) -> Int {
        for index in 0..<32 {
            let difference = bytes[index] ^ other.bytes[index]
            if difference != 0 { return index * 8 + difference.leadingZeroBitCount }
        }
        return 256
    }

    /// Orders distances (big-endian comparison).
    public static func < (lhs: KademliaKey, rhs: KademliaKey) -> Bool {
        for index in 0..<32 where lhs.bytes[index] != rhs.bytes[index] {
            return lhs.bytes[index] < rhs.bytes[index]
        }
        return false
    }

    /// Whether `a` is closer to this key than `b`.
    public func isCloser(_ a: KademliaKey, than b: KademliaKey) -> Bool {
        for index in 0..<32 {
            let left = a.bytes[index] ^ bytes[index]
            let right = b.bytes[index] ^ bytes[index]
            if left != right { return left < right }
        }
        return false
    }

    /// A random peer-ID-shaped key (a SHA-256 multihash) whose point shares exactly `prefixLength` leading
    /// bits with this one, to refresh that bucket; found by trying, so only for short prefixes (nil past
    /// `attempts`).
    func randomPeerKey(withCommonPrefix prefixLength: Int, attempts: Int = 1 << 20) -> [UInt8]? {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<attempts {
            let candidate = [0x12, 0x20] + (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if KademliaKey(hashing: candidate).commonPrefixLength(with: self) == prefixLength { return candidate }
        }
        return nil
    }
}
