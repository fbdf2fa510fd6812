import Libp2pCrypto
import Multiformats

/// Strict message signing as the DMS requires (go `StrictSign`): every message carries its author
/// (`from`), an 8-byte sequence number and a signature over `"libp2p-pubsub:" ‖ protobuf(message without
/// signature and key)`; the key travels only when the author's peer ID does not embed it.
public enum GossipsubSigning {
    static let prefix = Array("libp2p-pubsub:".utf8)

    /// Why a message was refused before any topic validator saw it.
    public enum Failure: Error, Sendable, Equatable {
        case missingFrom
        case invalidFrom
        case missingSeqno
        case missingSignature
        case missingKey
        case invalidKey
        case keyDoesNotMatchFrom
        case invalidSignature
    }

    /// A message authored by `key` on `topic`, signed.
    public static func signedMessage(topic: String, data: [UInt8], seqno: UInt64, key: PrivateKey)
        -> GossipsubRPC.Message
    {
        let author = PeerID(publicKey: key.publicKey)
        var message = GossipsubRPC.Message(from: author.bytes, data: data, seqno: seqnoBytes(seqno), topics: [topic])
        message.signature = key.sign(signedBytes(message))
        if author.multihash.code != .identity { message.key = key.publicKey.protobufBytes }
        return message
    }

    /// The 8-byte big-endian form go and python use.
    public static func seqnoBytes(_ seqno: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: seqno >> (56 - 8 * $0)) }
    }

    /// The bytes the signature covers.
    static func signedBytes(_ message: GossipsubRPC.Message) -> [UInt8] {
        var unsigned = message
        unsigned.signature = nil
        unsigned.key = nil
        return prefix + GossipsubCodec.encode(unsigned)
    }

    /// Checks author, sequence number, key and signature; returns the author.
    @discardableResult
    public static func verify(_ message: GossipsubRPC.Message) throws(Failure) -> PeerID {
        guard let from = message.from, !from.isEmpty else { throw .missingFrom }
        guard let multihash = try? Multihash(decoding: from), multihash.bytes == from else { throw .invalidFrom }
        let author = PeerID(multihash: multihash)
        guard let seqno = message.seqno, seqno.count == 8 else { throw .missingSeqno }
        guard let signature = message.signature, !signature.isEmpty else { throw .missingSignature }
        let publicKey: PublicKey
        if let keyBytes = message.key {
            guard let key = try? PublicKey(protobufBytes: keyBytes) else { throw .invalidKey }
            guard author.matches(key) else { throw .keyDoesNotMatchFrom }
            publicKey = key
        } else {
            guard author.multihash.code == .identity else { throw .missingKey }
            guard let key = try? author.publicKey() else { throw .invalidKey }
            publicKey = key
        }
        guard (try? publicKey.isValidSignature(signature, for: signedBytes(message))) == true else {
            throw .invalidSignature
        }
        return author
    }

    /// The default message ID: `from ‖ seqno` (go `DefaultMsgIdFn`, python's default).
    public static func messageID(_ message: GossipsubRPC.Message) -> [UInt8] {
        (message.from ?? []) + (message.seqno ?? [])
    }
}
