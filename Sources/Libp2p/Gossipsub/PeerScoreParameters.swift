import Libp2pCrypto

/// Peer score weights (gossipsub v1.1). The global values are the DMS's; the DMS sets no topic parameters,
/// so the per-topic defaults here are this implementation's choice: P2 rewards first deliveries, P4 makes
/// invalid messages costly (six push a peer below the graylist threshold), P3/P3b are off unless set.
public struct PeerScoreParameters: Sendable {
    /// Caps the positive sum of the topic scores.
    public var topicScoreCap = 10.0
    /// P5: a score from the application (the DMS's actor layer), times `appSpecificWeight`.
    public var appSpecificWeight = 1.0
    public var appSpecificScore: @Sendable (PeerID) -> Double = { _ in 0 }
    /// P7: misbehaviour (GRAFT during backoff, broken IWANT promises, IHAVE floods) counts
    /// `(penalty - threshold)² × weight` (the weight is negative).
    public var behaviourPenaltyWeight = -10.0
    public var behaviourPenaltyThreshold = 0.0
    public var behaviourPenaltyDecay = 0.9
    /// Counters are multiplied by their decay every `decayInterval`; below `decayToZero` they are 0.
    public var decayInterval: Duration = .seconds(3600)
    public var decayToZero = 0.001
    /// How long a disconnected peer's score is remembered (so reconnecting does not wash it).
    public var retainScore: Duration = .seconds(6 * 3600)
    /// Parameters for topics not listed in `topics`.
    public var defaultTopic = TopicScoreParameters()
    public var topics: [String: TopicScoreParameters] = [:]

    public init() {}

    func topic(_ topic: String) -> TopicScoreParameters { topics[topic] ?? defaultTopic }
}

/// The per-topic score terms P1-P4 and their weight in the total.
public struct TopicScoreParameters: Sendable {
    public var topicWeight = 1.0
    /// P1: time in the mesh, in quanta, capped.
    public var timeInMeshWeight = 0.01
    public var timeInMeshQuantum: Duration = .seconds(1)
    public var timeInMeshCap = 3600.0
    /// P2: first deliveries of valid messages.
    public var firstMessageDeliveriesWeight = 1.0
    public var firstMessageDeliveriesDecay = 0.5
    public var firstMessageDeliveriesCap = 100.0
    /// P3: a mesh peer delivering fewer than `threshold` messages once `activation` has passed in the mesh
    /// scores `deficit² × weight` (weight ≤ 0; 0 turns it off). Only first deliveries count here.
    public var meshMessageDeliveriesWeight = 0.0
    public var meshMessageDeliveriesDecay = 0.5
    public var meshMessageDeliveriesThreshold = 1.0
    public var meshMessageDeliveriesCap = 100.0
    public var meshMessageDeliveriesActivation: Duration = .seconds(30)
    /// P3b: the deficit² a peer had when it left the mesh, remembered (weight ≤ 0).
    public var meshFailurePenaltyWeight = 0.0
    public var meshFailurePenaltyDecay = 0.5
    /// P4: invalid messages, counted squared (weight ≤ 0).
    public var invalidMessageDeliveriesWeight = -100.0
    public var invalidMessageDeliveriesDecay = 0.5

    public init() {}
}
