/// Router parameters: the gossipsub v1.1 spec's names, go-libp2p-pubsub's defaults (D_low 5 as in go).
public struct GossipsubParameters: Sendable {
    /// Mesh degree target, low and high watermarks, peers kept by score when trimming, gossip fan-out.
    public var d = 6
    public var dLow = 5
    public var dHigh = 12
    public var dScore = 4
    public var dLazy = 6
    /// Share of eligible non-mesh peers that get IHAVE gossip, when more than `dLazy`.
    public var gossipFactor = 0.25
    public var heartbeatInterval: Duration = .seconds(1)
    /// How long a topic published to but not joined keeps its fanout peers.
    public var fanoutTTL: Duration = .seconds(60)
    /// Heartbeats of messages kept for IWANT, and of those advertised in IHAVE.
    public var historyLength = 5
    public var historyGossip = 3
    public var seenTTL: Duration = .seconds(120)
    /// Backoff sent with PRUNE (and honoured on GRAFT), and the shorter one after leaving a topic.
    public var pruneBackoff: Duration = .seconds(60)
    public var unsubscribeBackoff: Duration = .seconds(10)
    /// Peers offered in peer exchange with a PRUNE, and accepted from one.
    public var prunePeers = 16
    /// A GRAFT this soon after our PRUNE counts twice (it ignored the backoff outright).
    public var graftFloodThreshold: Duration = .seconds(10)
    /// Per peer and heartbeat: IHAVE RPCs handled, and message IDs asked for.
    public var maxIHaveMessages = 10
    public var maxIHaveLength = 5000
    /// How long a peer has to deliver a message it advertised and we asked for.
    public var iwantFollowupTime: Duration = .seconds(3)
    /// How often one peer may get one message through IWANT.
    public var gossipRetransmission = 3
    /// Every this many heartbeats, graft better peers when the mesh's median score is low.
    public var opportunisticGraftTicks = 60
    public var opportunisticGraftPeers = 2
    /// Send our own messages to every topic peer above the publish threshold, not only the mesh (DMS: on).
    public var floodPublish = true
    /// Largest RPC read or written (go default and DMS: 1 MiB).
    public var maxMessageSize = GossipsubCodec.defaultMaxRPCSize
    /// Messages waiting for their topic validator; beyond this new ones are dropped unpenalised.
    public var maxPendingValidations = 1024
    /// Topics remembered per peer; further subscriptions are ignored (bounds what a peer can make us hold).
    public var maxTopicsPerPeer = 1024
    /// Frames queued to one peer; beyond this new ones are dropped (a slow peer must not hold memory).
    public var peerOutboundQueueSize = 256

    public init() {}
}

/// Score thresholds (the DMS values): below `gossip` no IHAVE/IWANT to or from the peer, below `publish`
/// no flood publishing to it, below `graylist` everything it sends is ignored; peer exchange is accepted
/// only from peers at `acceptPX` or above; a mesh whose median is below `opportunisticGraft` grafts better
/// peers.
public struct PeerScoreThresholds: Sendable {
    public var gossip = -500.0
    public var publish = -1000.0
    public var graylist = -2500.0
    public var acceptPX = 0.0
    public var opportunisticGraft = 2.5

    public init() {}
}
