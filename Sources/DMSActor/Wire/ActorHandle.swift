import DMSCrypto
import Multiformats

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
    public func publicKey() throws(CryptoError) -> PublicKey { try PublicKey(protobufBytes: id) }

    /// The did:key of the actor's own key (token subjects and audiences name actors this way).
    public func keyDID() throws(CryptoError) -> DID { DID(publicKey: try publicKey()) }

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
