import Libp2pCrypto

/// Gossipsub v1.1 peer scores: counters per peer and topic, combined with `PeerScoreParameters` when asked
/// and decayed every decay interval. Scores of disconnected peers are kept for `retainScore`.
struct PeerScore {
    struct TopicStats {
        var inMesh = false
        var graftTime: ContinuousClock.Instant?
        var firstMessageDeliveries = 0.0
        var meshMessageDeliveries = 0.0
        var meshFailurePenalty = 0.0
        var invalidMessageDeliveries = 0.0
    }

    struct PeerStats {
        var connected = true
        var expires: ContinuousClock.Instant?
        var topics: [String: TopicStats] = [:]
        var behaviourPenalty = 0.0
    }

    let parameters: PeerScoreParameters
    private(set) var peers: [PeerID: PeerStats] = [:]
    private var nextDecay: ContinuousClock.Instant?

    init(parameters: PeerScoreParameters) { self.parameters = parameters }

    func score(_ peer: PeerID, now: ContinuousClock.Instant) -> Double {
        var total = 0.0
        if let stats = peers[peer] {
            var topicTotal = 0.0
            for (topic, counters) in stats.topics {
                let weights = parameters.topic(topic)
                var score = 0.0
                if counters.inMesh, let grafted = counters.graftTime {
                    let quanta = (now - grafted) / weights.timeInMeshQuantum
                    score += min(quanta, weights.timeInMeshCap) * weights.timeInMeshWeight
                    if now - grafted >= weights.meshMessageDeliveriesActivation,
                        counters.meshMessageDeliveries < weights.meshMessageDeliveriesThreshold
                    {
                        let deficit = weights.meshMessageDeliveriesThreshold - counters.meshMessageDeliveries
                        score += deficit * deficit * weights.meshMessageDeliveriesWeight
                    }
                }
                score += counters.firstMessageDeliveries * weights.firstMessageDeliveriesWeight
                score += counters.meshFailurePenalty * weights.meshFailurePenaltyWeight
                score +=
                    counters.invalidMessageDeliveries * counters.invalidMessageDeliveries
                    * weights.invalidMessageDeliveriesWeight
                topicTotal += score * weights.topicWeight
            }
            if parameters.topicScoreCap > 0 { topicTotal = min(topicTotal, parameters.topicScoreCap) }
            total += topicTotal
            let excess = stats.behaviourPenalty - parameters.behaviourPenaltyThreshold
            if excess > 0 { total += excess * excess * parameters.behaviourPenaltyWeight }
        }
        return total + parameters.appSpecificScore(peer) * parameters.appSpecificWeight
    }

    mutating func addPeer(_ peer: PeerID) {
        peers[peer, default: PeerStats()].connected = true
        peers[peer]?.expires = nil
    }

    /// The peer left: its mesh membership ends (with any delivery deficit as P3b) and its counters are
    /// kept until `retainScore` passes.
    mutating func removePeer(_ peer: PeerID, now: ContinuousClock.Instant) {
        guard var stats = peers[peer] else { return }
        for topic in stats.topics.keys where stats.topics[topic]?.inMesh == true {
            leaveMesh(&stats, topic: topic, now: now)
        }
        stats.connected = false
        stats.expires = now + parameters.retainScore
        peers[peer] = stats
    }

    mutating func graft(_ peer: PeerID, topic: String, now: ContinuousClock.Instant) {
        update(peer, topic) { counters in
            counters.inMesh = true
            counters.graftTime = now
            counters.meshMessageDeliveries = 0
        }
    }

    mutating func prune(_ peer: PeerID, topic: String, now: ContinuousClock.Instant) {
        guard var stats = peers[peer], stats.topics[topic]?.inMesh == true else { return }
        leaveMesh(&stats, topic: topic, now: now)
        peers[peer] = stats
    }

    private func leaveMesh(_ stats: inout PeerStats, topic: String, now: ContinuousClock.Instant) {
        guard var counters = stats.topics[topic] else { return }
        let weights = parameters.topic(topic)
        if let grafted = counters.graftTime, now - grafted >= weights.meshMessageDeliveriesActivation,
            counters.meshMessageDeliveries < weights.meshMessageDeliveriesThreshold
        {
            let deficit = weights.meshMessageDeliveriesThreshold - counters.meshMessageDeliveries
            counters.meshFailurePenalty += deficit * deficit
        }
        counters.inMesh = false
        counters.graftTime = nil
        stats.topics[topic] = counters
    }

    /// P2 (and P3 for mesh peers): `peer` was the first to deliver a valid message on `topic`.
    mutating func firstDelivery(_ peer: PeerID, topic: String) {
        let weights = parameters.topic(topic)
        update(peer, topic) { counters in
            counters.firstMessageDeliveries = min(
                counters.firstMessageDeliveries + 1, weights.firstMessageDeliveriesCap)
            if counters.inMesh {
                counters.meshMessageDeliveries = min(
                    counters.meshMessageDeliveries + 1, weights.meshMessageDeliveriesCap)
            }
        }
    }

    /// P4: `peer` sent a message that failed its signature check or its validator.
    mutating func invalidDelivery(_ peer: PeerID, topic: String) {
        update(peer, topic) { $0.invalidMessageDeliveries += 1 }
    }

    /// P7: misbehaviour outside any topic.
    mutating func penalise(_ peer: PeerID, by count: Double = 1) {
        peers[peer, default: PeerStats()].behaviourPenalty += count
    }

    private mutating func update(_ peer: PeerID, _ topic: String, _ change: (inout TopicStats) -> Void) {
        var stats = peers[peer, default: PeerStats()]
        change(&stats.topics[topic, default: TopicStats()])
        peers[peer] = stats
    }

    /// Decays every counter once per decay interval and forgets disconnected peers past retention.
    mutating func refresh(now: ContinuousClock.Instant) {
        guard let due = nextDecay else {
            nextDecay = now + parameters.decayInterval
            return
        }
        guard now >= due else { return }
        nextDecay = now + parameters.decayInterval
        let zero = parameters.decayToZero
        func decayed(_ value: Double, _ factor: Double) -> Double {
            let next = value * factor
            return abs(next) < zero ? 0 : next
        }
        for (peer, var stats) in peers {
            if !stats.connected, let expires = stats.expires, now >= expires {
                peers.removeValue(forKey: peer)
                continue
            }
            for (topic, var counters) in stats.topics {
                let weights = parameters.topic(topic)
                counters.firstMessageDeliveries = decayed(
                    counters.firstMessageDeliveries, weights.firstMessageDeliveriesDecay)
                counters.meshMessageDeliveries = decayed(
                    counters.meshMessageDeliveries, weights.meshMessageDeliveriesDecay)
                counters.meshFailurePenalty = decayed(counters.meshFailurePenalty, weights.meshFailurePenaltyDecay)
                counters.invalidMessageDeliveries = decayed(
                    counters.invalidMessageDeliveries, weights.invalidMessageDeliveriesDecay)
                stats.topics[topic] = counters
            }
            stats.behaviourPenalty = decayed(stats.behaviourPenalty, parameters.behaviourPenaltyDecay)
            peers[peer] = stats
        }
    }
}
