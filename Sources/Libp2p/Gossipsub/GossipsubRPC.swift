/// One pubsub RPC as go-libp2p-pubsub and py-libp2p frame it on `/meshsub/1.x`: subscription changes,
/// published messages and gossipsub control, any of them possibly empty. Proto2 presence is kept for the
/// message fields, because the signature covers exactly the fields the author set.
public struct GossipsubRPC: Sendable, Equatable {
    public var subscriptions: [SubOpts] = []
    public var publish: [Message] = []
    public var control: Control?

    public init(subscriptions: [SubOpts] = [], publish: [Message] = [], control: Control? = nil) {
        self.subscriptions = subscriptions
        self.publish = publish
        self.control = control
    }

    /// A subscription (or unsubscription) announcement for one topic.
    public struct SubOpts: Sendable, Equatable {
        public var subscribe: Bool
        public var topic: String

        public init(subscribe: Bool, topic: String) {
            self.subscribe = subscribe
            self.topic = topic
        }
    }

    /// A published message. `topics` is `repeated string topicIDs` in py-libp2p and `optional string
    /// topic` in go (the same bytes when there is one topic).
    public struct Message: Sendable, Equatable {
        public var from: [UInt8]?
        public var data: [UInt8]?
        public var seqno: [UInt8]?
        public var topics: [String] = []
        public var signature: [UInt8]?
        public var key: [UInt8]?

        public init(
            from: [UInt8]? = nil, data: [UInt8]? = nil, seqno: [UInt8]? = nil, topics: [String] = [],
            signature: [UInt8]? = nil, key: [UInt8]? = nil
        ) {
            self.from = from
            self.data = data
            self.seqno = seqno
            self.topics = topics
            self.signature = signature
            self.key = key
        }
    }

    /// Gossipsub control messages. IDONTWANT (v1.2) is read past and never sent.
    public struct Control: Sendable, Equatable {
        public var ihave: [IHave] = []
        public var iwant: [IWant] = []
        public var graft: [Graft] = []
        public var prune: [Prune] = []

        public init(ihave: [IHave] = [], iwant: [IWant] = [], graft: [Graft] = [], prune: [Prune] = []) {
            self.ihave = ihave
            self.iwant = iwant
            self.graft = graft
            self.prune = prune
        }

        public var isEmpty: Bool { ihave.isEmpty && iwant.isEmpty && graft.isEmpty && prune.isEmpty }
    }

    /// "I have these recent messages in this topic" (lazy gossip to peers outside the mesh).
    public struct IHave: Sendable, Equatable {
        public var topic: String
        public var messageIDs: [[UInt8]]

        public init(topic: String, messageIDs: [[UInt8]]) {
            self.topic = topic
            self.messageIDs = messageIDs
        }
    }

    /// "Send me these messages" (answer to IHAVE).
    public struct IWant: Sendable, Equatable {
        public var messageIDs: [[UInt8]]

        public init(messageIDs: [[UInt8]]) { self.messageIDs = messageIDs }
    }

    /// "Add me to your mesh for this topic."
    public struct Graft: Sendable, Equatable {
        public var topic: String

        public init(topic: String) { self.topic = topic }
    }

    /// "You are out of my mesh for this topic": with peers to try instead (v1.1 peer exchange) and how
    /// long not to graft again, in seconds.
    public struct Prune: Sendable, Equatable {
        public var topic: String
        public var peers: [PeerInfo]
        public var backoff: UInt64?

        public init(topic: String, peers: [PeerInfo] = [], backoff: UInt64? = nil) {
            self.topic = topic
            self.peers = peers
            self.backoff = backoff
        }
    }

    /// A peer offered in peer exchange; the signed peer record is optional and this implementation sends
    /// none.
    public struct PeerInfo: Sendable, Equatable {
        public var peerID: [UInt8]?
        public var signedPeerRecord: [UInt8]?

        public init(peerID: [UInt8]?, signedPeerRecord: [UInt8]? = nil) {
            self.peerID = peerID
            self.signedPeerRecord = signedPeerRecord
        }
    }

    public var isEmpty: Bool { subscriptions.isEmpty && publish.isEmpty && (control?.isEmpty ?? true) }
}
