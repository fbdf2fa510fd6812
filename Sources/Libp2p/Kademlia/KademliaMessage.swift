import Libp2pCrypto
import Multiformats

/// The one protobuf every Kademlia RPC carries (libp2p kad-dht `Message`), request and response alike.
/// Decoding is defensive: a response names at most `maxPeers` closer peers and `maxProviders` providers,
/// each with at most `maxAddresses` addresses, so one hostile answer cannot flood a lookup or the peer store; extra entries
/// and addresses this node cannot parse are dropped, not fatal.
public struct KademliaMessage: Sendable, Equatable {
    public enum Kind: UInt64, Sendable {
        case putValue = 0
        case getValue = 1
        case addProvider = 2
        case getProviders = 3
        case findNode = 4
        case ping = 5
    }

    /// A peer as one node tells another about it: the ID and where to dial it.
    public struct Peer: Sendable, Equatable {
        public var id: PeerID
        public var addresses: [Multiaddr]

        public init(id: PeerID, addresses: [Multiaddr]) {
            self.id = id
            self.addresses = addresses
        }
    }

    /// A stored value. `timeReceived` is RFC 3339 text set by the storing node; senders leave it empty.
    public struct Record: Sendable, Equatable {
        public var key: [UInt8]
        public var value: [UInt8]
        public var timeReceived: String

        public init(key: [UInt8], value: [UInt8], timeReceived: String = "") {
            self.key = key
            self.value = value
            self.timeReceived = timeReceived
        }
    }

    public static let maxPeers = 20
    public static let maxProviders = 100
    public static let maxAddresses = 16

    public var kind: Kind
    public var key: [UInt8]
    public var record: Record?
    public var closerPeers: [Peer]
    public var providerPeers: [Peer]

    public init(
        kind: Kind, key: [UInt8], record: Record? = nil, closerPeers: [Peer] = [], providerPeers: [Peer] = []
    ) {
        self.kind = kind
        self.key = key
        self.record = record
        self.closerPeers = closerPeers
        self.providerPeers = providerPeers
    }

    public var bytes: [UInt8] {
        var writer = ProtobufWriter()
        // proto3: the zero value (PUT_VALUE) is not written, as Go writes it.
        if kind != .putValue { writer.varint(field: 1, kind.rawValue) }
        if !key.isEmpty { writer.bytes(field: 2, key) }
        if let record { writer.bytes(field: 3, Self.encode(record)) }
        for peer in closerPeers { writer.bytes(field: 8, Self.encode(peer)) }
        for peer in providerPeers { writer.bytes(field: 9, Self.encode(peer)) }
        return writer.bytes
    }

    public init(bytes: [UInt8]) throws(KademliaError) {
        guard let fields = try? ProtobufReader.fields(bytes) else {
            throw .malformed("the message is not a valid protobuf")
        }
        var kind = Kind.putValue
        var key: [UInt8] = []
        var record: Record?
        var closer: [Peer] = []
        var providers: [Peer] = []
        for (field, value) in fields {
            switch (field, value) {
            case (1, .varint(let raw)):
                guard let known = Kind(rawValue: raw) else { throw .malformed("unknown message type \(raw)") }
                kind = known
            case (2, .bytes(let bytes)): key = bytes
            case (3, .bytes(let bytes)): record = try Self.decodeRecord(bytes)
            case (8, .bytes(let bytes)):
                if closer.count < Self.maxPeers, let peer = Self.decodePeer(bytes) { closer.append(peer) }
            case (9, .bytes(let bytes)):
                if providers.count < Self.maxProviders, let peer = Self.decodePeer(bytes) { providers.append(peer) }
            default: continue  // clusterLevelRaw and fields from newer versions
            }
        }
        self.init(kind: kind, key: key, record: record, closerPeers: closer, providerPeers: providers)
    }

    private static func encode(_ record: Record) -> [UInt8] {
        var writer = ProtobufWriter()
        if !record.key.isEmpty { writer.bytes(field: 1, record.key) }
        if !record.value.isEmpty { writer.bytes(field: 2, record.value) }
        if !record.timeReceived.isEmpty { writer.bytes(field: 5, Array(record.timeReceived.utf8)) }
        return writer.bytes
    }

    private static func decodeRecord(_ bytes: [UInt8]) throws(KademliaError) -> Record {
        guard let fields = try? ProtobufReader.fields(bytes) else { throw .malformed("the record is not a protobuf") }
        var record = Record(key: [], value: [])
        for (field, value) in fields {
            guard case .bytes(let bytes) = value else { continue }
            switch field {
            case 1: record.key = bytes
            case 2: record.value = bytes
            case 5: record.timeReceived = String(decoding: bytes, as: UTF8.self)
            default: continue
            }
        }
        return record
    }

    private static func encode(_ peer: Peer) -> [UInt8] {
        var writer = ProtobufWriter()
        writer.bytes(field: 1, peer.id.bytes)
        for address in peer.addresses { writer.bytes(field: 2, address.bytes) }
        return writer.bytes
    }

    /// A peer entry, or nil when its ID is not a peer ID (the entry is skipped).
    private static func decodePeer(_ bytes: [UInt8]) -> Peer? {
        guard let fields = try? ProtobufReader.fields(bytes) else { return nil }
        var id: PeerID?
        var addresses: [Multiaddr] = []
        for (field, value) in fields {
            guard case .bytes(let bytes) = value else { continue }
            switch field {
            case 1: id = (try? Multihash(decoding: bytes)).map(PeerID.init(multihash:))
            case 2:
                if addresses.count < maxAddresses, let address = try? Multiaddr(bytes: bytes) {
                    addresses.append(address)
                }
            default: continue
            }
        }
        return id.map { Peer(id: $0, addresses: addresses) }
    }
}
