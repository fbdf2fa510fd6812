import DMSCore
import DMSCrypto
import Multiformats
import Synchronization

/// Where an actor lives: its host (libp2p peer ID) and inbox on that host.
public struct ActorAddress: Sendable, Hashable {
    public var host: String
    public var inbox: String

    public init(host: String = "", inbox: String = "") {
        self.host = host
        self.inbox = inbox
    }

    public var isEmpty: Bool { host.isEmpty && inbox.isEmpty }
}

/// Names an actor on the network: its own key (`id`, the libp2p protobuf public key), the DID of the
/// identity it acts for (shared by every actor of a process), and its address. An empty handle as the
/// destination means broadcast.
public struct ActorHandle: Sendable, Hashable, CustomStringConvertible {
    /// Protobuf-encoded public key of the actor; empty for the broadcast destination.
    public var id: [UInt8]
    public var did: DID
    public var address: ActorAddress

    public init(id: [UInt8], did: DID, address: ActorAddress) {
        self.id = id
        self.did = did
        self.address = address
    }

    public init(key: PublicKey, did: DID, address: ActorAddress) {
        self.init(id: key.protobufBytes, did: did, address: address)
    }

    public static let empty = ActorHandle(id: [], did: .empty, address: ActorAddress())

    public var isEmpty: Bool { id.isEmpty && did.isEmpty && address.isEmpty }

    /// The actor's key, from its ID.
    public func publicKey() throws(CryptoError) -> PublicKey { try KeyDIDCache.key(for: id) }

    /// The did:key of the actor's own key (token subjects and audiences name actors this way).
    public func keyDID() throws(CryptoError) -> DID { try KeyDIDCache.did(for: id) }

    /// `<did:key of id>[<DID>]@<host>:<inbox>`, as the Go DMS prints handles.
    public var description: String {
        let idText = (try? keyDID().uri) ?? "?"
        return "\(idText)[\(did.uri)]@\(address.host):\(address.inbox)"
    }

    /// The root actor of the node whose key is `peerID`'s (Ed25519 or secp256k1 only).
    public static func root(peerID: PeerID) throws(CryptoError) -> ActorHandle {
        let key = try peerID.publicKey()
        guard key.type == .ed25519 || key.type == .secp256k1 else {
            throw .unsupportedKeyType("actor handles need Ed25519 or secp256k1 keys")
        }
        return ActorHandle(
            key: key, did: DID(publicKey: key), address: ActorAddress(host: peerID.description, inbox: "root"))
    }

    /// The root actor of the node whose identity is the did:key `did`.
    public static func root(did: DID) throws(CryptoError) -> ActorHandle {
        let key = try did.publicKey()
        guard key.type == .ed25519 || key.type == .secp256k1 else {
            throw .unsupportedKeyType("actor handles need Ed25519 or secp256k1 keys")
        }
        return ActorHandle(
            key: key, did: did, address: ActorAddress(host: PeerID(publicKey: key).description, inbox: "root"))
    }
}

/// Base32 texts of actor IDs (the `{"pub": …}` form) seen recently, both ways: every envelope carries
/// two handles. Bounded; cleared when full.
enum ActorIDText {
    private static let capacity = 4096
    private static let texts = Mutex<[ByteKey: String]>([:])
    private static let ids = Mutex<[String: [UInt8]]>([:])

    static func text(for id: [UInt8]) -> String {
        let key = ByteKey(id)
        if let cached = texts.withLock({ $0[key] }) { return cached }
        let text = Base32.encode(id)
        texts.withLock { texts in
            if texts.count >= capacity { texts.removeAll(keepingCapacity: true) }
            texts[key] = text
        }
        return text
    }

    static func id(for text: String) -> [UInt8]? {
        if let cached = ids.withLock({ $0[text] }) { return cached }
        guard let id = Base32.decode(text) else { return nil }
        ids.withLock { ids in
            if ids.count >= capacity { ids.removeAll(keepingCapacity: true) }
            ids[text] = id
        }
        return id
    }
}

/// did:key strings of actor IDs seen recently: every message names two actors, and deriving the DID
/// (protobuf decode, base58) each time is measurable. Bounded; cleared when full.
enum KeyDIDCache {
    private static let capacity = 4096
    private static let entries = Mutex<[ByteKey: (key: PublicKey, did: DID)]>([:])

    static func did(for id: [UInt8]) throws(CryptoError) -> DID { try entry(for: id).did }

    static func key(for id: [UInt8]) throws(CryptoError) -> PublicKey { try entry(for: id).key }

    private static func entry(for id: [UInt8]) throws(CryptoError) -> (key: PublicKey, did: DID) {
        let cacheKey = ByteKey(id)
        if let cached = entries.withLock({ $0[cacheKey] }) { return cached }
        let key = try PublicKey(protobufBytes: id)
        // RSA and ECDSA keys identify libp2p peers, never actors: did:key is not defined for them here.
        guard key.type != .rsa, key.type != .ecdsa else {
            throw .unsupportedKeyType("an actor ID must be an Ed25519, secp256k1 or Ethereum key, got \(key.type)")
        }
        let entry = (key, DID(publicKey: key))
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[cacheKey] = entry
        }
        return entry
    }
}
