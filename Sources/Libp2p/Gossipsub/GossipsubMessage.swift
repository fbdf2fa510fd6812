import Libp2pCrypto

/// A message delivered to a topic's subscriber, after its signature and the topic validator accepted it.
public struct GossipsubMessage: Sendable, Equatable {
    public let topic: String
    public let data: [UInt8]
    /// The author, proven by the signature.
    public let from: PeerID
    public let seqno: [UInt8]
    /// `from ‖ seqno`, the ID peers use in IHAVE/IWANT.
    public let id: [UInt8]
    /// The peer that handed it to us (the author or a forwarder); our own ID for our own messages.
    public let receivedFrom: PeerID

    init(_ pending: PendingValidation) {
        topic = pending.topic
        data = pending.message.data ?? []
        from = pending.author
        seqno = pending.message.seqno ?? []
        id = pending.id
        receivedFrom = pending.receivedFrom
    }
}
