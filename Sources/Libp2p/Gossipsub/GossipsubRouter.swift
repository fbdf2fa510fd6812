import Libp2pCrypto
import Logging
import Multiformats

/// The gossipsub v1.1 router without I/O: every input (a peer's arrival or departure, an RPC, a
/// validator's verdict, a heartbeat, a local join or publish) takes the current time and returns the
/// `GossipsubEffects` to carry out, so tests drive it with a fake clock and inspect what it would send.
struct GossipsubRouter {
    struct PeerState {
        var protocolID: String
        var topics: Set<String> = []
    }

    let localPeer: PeerID
    let parameters: GossipsubParameters
    let thresholds: PeerScoreThresholds
    let logger: Logger
    private(set) var peers: [PeerID: PeerState] = [:]
    private(set) var joined: Set<String> = []
    private(set) var mesh: [String: Set<PeerID>] = [:]
    private(set) var fanout: [String: Set<PeerID>] = [:]
    private var fanoutLastPublished: [String: ContinuousClock.Instant] = [:]
    private(set) var backoff: [String: [PeerID: ContinuousClock.Instant]] = [:]
    private(set) var seen: SeenCache
    private(set) var cache: MessageCache
    private(set) var scores: PeerScore
    private var ihavesReceived: [PeerID: Int] = [:]
    private var idsAsked: [PeerID: Int] = [:]
    /// IWANT promises: message ID → peer → when the peer must have delivered it.
    private var promises: [[UInt8]: [PeerID: ContinuousClock.Instant]] = [:]
    private var validating: Set<[UInt8]> = []
    private var ticks = 0

    init(
        localPeer: PeerID, parameters: GossipsubParameters = GossipsubParameters(),
        scoreParameters: PeerScoreParameters = PeerScoreParameters(),
        thresholds: PeerScoreThresholds = PeerScoreThresholds(), logger: Logger = Logger(label: "gossipsub")
    ) {
        self.localPeer = localPeer
        self.parameters = parameters
        self.thresholds = thresholds
        self.logger = logger
        seen = SeenCache(ttl: parameters.seenTTL)
        cache = MessageCache(length: parameters.historyLength, gossipWindows: parameters.historyGossip)
        scores = PeerScore(parameters: scoreParameters)
    }

    // MARK: Inspection

    func meshPeers(_ topic: String) -> Set<PeerID> { mesh[topic] ?? [] }
    func fanoutPeers(_ topic: String) -> Set<PeerID> { fanout[topic] ?? [] }
    func topicPeers(_ topic: String) -> Set<PeerID> { Set(peers.filter { $0.value.topics.contains(topic) }.keys) }
    func score(_ peer: PeerID, now: ContinuousClock.Instant) -> Double { scores.score(peer, now: now) }
    var pendingValidations: Int { validating.count }
    /// Outstanding IWANT promises (one per IWANT sent).
    var promiseCount: Int { promises.values.reduce(0) { $0 + $1.count } }

    // MARK: Peers

    /// A peer whose `/meshsub` stream is open: it gets our subscriptions.
    mutating func addPeer(_ peer: PeerID, protocolID: String = Gossipsub.protocolV11) -> GossipsubEffects {
        var effects = GossipsubEffects()
        guard peer != localPeer else { return effects }
        if peers[peer] == nil { peers[peer] = PeerState(protocolID: protocolID) }
        peers[peer]?.protocolID = protocolID
        scores.addPeer(peer)
        if !joined.isEmpty {
            effects.send(to: peer) { $0.subscriptions = joined.sorted().map { .init(subscribe: true, topic: $0) } }
        }
        return effects
    }

    /// The peer is gone: out of every mesh and fanout at once.
    mutating func removePeer(_ peer: PeerID, now: ContinuousClock.Instant) {
        guard peers.removeValue(forKey: peer) != nil else { return }
        for topic in mesh.keys { mesh[topic]?.remove(peer) }
        for topic in fanout.keys { fanout[topic]?.remove(peer) }
        scores.removePeer(peer, now: now)
        ihavesReceived.removeValue(forKey: peer)
        idsAsked.removeValue(forKey: peer)
    }

    // MARK: Local operations

    mutating func join(_ topic: String, now: ContinuousClock.Instant) -> GossipsubEffects {
        var effects = GossipsubEffects()
        guard joined.insert(topic).inserted else { return effects }
        for peer in peers.keys {
            effects.send(to: peer) { $0.subscriptions.append(.init(subscribe: true, topic: topic)) }
        }
        var members = (fanout.removeValue(forKey: topic) ?? []).filter { scores.score($0, now: now) >= 0 }
        fanoutLastPublished.removeValue(forKey: topic)
        if members.count < parameters.d {
            let candidates = graftCandidates(topic, excluding: members, now: now).shuffled()
            members.formUnion(candidates.prefix(parameters.d - members.count))
        }
        mesh[topic] = []
        for peer in members { graft(peer, topic: topic, now: now, effects: &effects) }
        return effects
    }

    mutating func leave(_ topic: String, now: ContinuousClock.Instant) -> GossipsubEffects {
        var effects = GossipsubEffects()
        guard joined.remove(topic) != nil else { return effects }
        for peer in peers.keys {
            effects.send(to: peer) { $0.subscriptions.append(.init(subscribe: false, topic: topic)) }
        }
        for peer in mesh.removeValue(forKey: topic) ?? [] {
            scores.prune(peer, topic: topic, now: now)
            addBackoff(peer, topic: topic, duration: parameters.unsubscribeBackoff, now: now)
            effects.control(to: peer) {
                $0.prune.append(makePrune(peer, topic: topic, px: false, unsubscribe: true, now: now))
            }
        }
        return effects
    }

    /// Sends a message this node authored (signed, validated): to every topic peer above the publish
    /// threshold when flood publishing, else to the mesh or the topic's fanout.
    mutating func publish(_ message: GossipsubRPC.Message, topic: String, now: ContinuousClock.Instant)
        -> GossipsubEffects
    {
        var effects = GossipsubEffects()
        let id = GossipsubSigning.messageID(message)
        guard seen.insert(id, now: now) else { return effects }
        cache.put(message, id: id, topic: topic)
        var recipients: Set<PeerID>
        if parameters.floodPublish {
            recipients = topicPeers(topic).filter { scores.score($0, now: now) >= thresholds.publish }
        } else if joined.contains(topic) {
            recipients = mesh[topic] ?? []
        } else {
            recipients = fanout[topic] ?? []
            if recipients.isEmpty {
                let candidates = topicPeers(topic).filter { scores.score($0, now: now) >= thresholds.publish }
                recipients = Set(candidates.shuffled().prefix(parameters.d))
                fanout[topic] = recipients
            }
            fanoutLastPublished[topic] = now
        }
        for peer in recipients { effects.send(to: peer) { $0.publish.append(message) } }
        return effects
    }

    // MARK: Incoming

    /// One RPC from `peer`. Messages that pass the signature check come back in `effects.validate`; the
    /// caller runs the topic validator and reports with `validated`.
    mutating func handle(_ rpc: GossipsubRPC, from peer: PeerID, now: ContinuousClock.Instant) -> GossipsubEffects {
        var effects = GossipsubEffects()
        guard peer != localPeer else { return effects }
        let score = scores.score(peer, now: now)
        guard score >= thresholds.graylist else {
            logger.debug("ignoring an RPC from a graylisted peer", metadata: ["peer": "\(peer)", "score": "\(score)"])
            return effects
        }
        if peers[peer] == nil { effects.merge(addPeer(peer)) }
        for subscription in rpc.subscriptions { handleSubscription(subscription, from: peer, now: now) }
        for message in rpc.publish { handleMessage(message, from: peer, now: now, effects: &effects) }
        guard let control = rpc.control else { return effects }
        var reply = GossipsubRPC.Control()
        if !control.ihave.isEmpty { reply.iwant = handleIHave(control.ihave, from: peer, now: now) }
        if !control.iwant.isEmpty {
            let messages = handleIWant(control.iwant, from: peer, now: now)
            if !messages.isEmpty { effects.send(to: peer) { $0.publish += messages } }
        }
        if !control.graft.isEmpty { reply.prune = handleGraft(control.graft, from: peer, now: now) }
        if !control.prune.isEmpty { handlePrune(control.prune, from: peer, now: now, effects: &effects) }
        if !reply.isEmpty { effects.control(to: peer) { $0.merge(reply) } }
        return effects
    }

    private mutating func handleSubscription(
        _ subscription: GossipsubRPC.SubOpts, from peer: PeerID, now: ContinuousClock.Instant
    ) {
        if subscription.subscribe {
            guard let known = peers[peer]?.topics, known.count < parameters.maxTopicsPerPeer else { return }
            peers[peer]?.topics.insert(subscription.topic)
        } else {
            peers[peer]?.topics.remove(subscription.topic)
            if mesh[subscription.topic]?.remove(peer) != nil { scores.prune(peer, topic: subscription.topic, now: now) }
            fanout[subscription.topic]?.remove(peer)
        }
    }

    private mutating func handleMessage(
        _ message: GossipsubRPC.Message, from peer: PeerID, now: ContinuousClock.Instant,
        effects: inout GossipsubEffects
    ) {
        // Messages for topics we have not joined are not ours to judge or carry (as in go).
        guard let topic = message.topics.first(where: { joined.contains($0) }) else { return }
        if let from = message.from, from == localPeer.bytes { return }
        let author: PeerID
        do {
            author = try GossipsubSigning.verify(message)
        } catch {
            scores.invalidDelivery(peer, topic: topic)
            logger.info(
                "peer scored down: message with a bad signature",
                metadata: ["peer": "\(peer)", "topic": "\(topic)", "reason": "\(error)"])
            return
        }
        let id = GossipsubSigning.messageID(message)
        promises.removeValue(forKey: id)
        guard !seen.contains(id), !validating.contains(id) else { return }
        guard validating.count < parameters.maxPendingValidations else {
            logger.debug("validation queue full; dropping a message", metadata: ["peer": "\(peer)"])
            return
        }
        validating.insert(id)
        effects.validate.append(
            PendingValidation(id: id, message: message, topic: topic, author: author, receivedFrom: peer))
    }

    /// The topic validator's verdict on a message from `handle`: accepted messages are delivered and
    /// forwarded to the mesh (never back to the sender or the author); rejected ones cost the sender.
    mutating func validated(_ pending: PendingValidation, _ result: ValidationResult, now: ContinuousClock.Instant)
        -> GossipsubEffects
    {
        var effects = GossipsubEffects()
        validating.remove(pending.id)
        switch result {
        case .ignore: return effects
        case .reject:
            scores.invalidDelivery(pending.receivedFrom, topic: pending.topic)
            logger.info(
                "peer scored down: its message was rejected by the topic validator",
                metadata: ["peer": "\(pending.receivedFrom)", "topic": "\(pending.topic)"])
            return effects
        case .accept: break
        }
        guard joined.contains(pending.topic), seen.insert(pending.id, now: now) else { return effects }
        scores.firstDelivery(pending.receivedFrom, topic: pending.topic)
        cache.put(pending.message, id: pending.id, topic: pending.topic)
        effects.deliver.append(pending)
        for peer in mesh[pending.topic] ?? [] where peer != pending.receivedFrom && peer != pending.author {
            effects.send(to: peer) { $0.publish.append(pending.message) }
        }
        return effects
    }

    private mutating func handleIHave(_ ihaves: [GossipsubRPC.IHave], from peer: PeerID, now: ContinuousClock.Instant)
        -> [GossipsubRPC.IWant]
    {
        guard scores.score(peer, now: now) >= thresholds.gossip else { return [] }
        let received = (ihavesReceived[peer] ?? 0) + 1
        ihavesReceived[peer] = received
        guard received <= parameters.maxIHaveMessages else {
            if received == parameters.maxIHaveMessages + 1 {
                scores.penalise(peer)
                logger.info(
                    "peer scored down: IHAVE flood", metadata: ["peer": "\(peer)", "ihaves": "\(received)"])
            }
            return []
        }
        let asked = idsAsked[peer] ?? 0
        guard asked < parameters.maxIHaveLength else { return [] }
        var wanted: [[UInt8]] = []
        var unique: Set<[UInt8]> = []
        for ihave in ihaves where joined.contains(ihave.topic) {
            for id in ihave.messageIDs where !seen.contains(id) && !validating.contains(id) {
                if unique.insert(id).inserted { wanted.append(id) }
            }
        }
        guard !wanted.isEmpty else { return [] }
        wanted = Array(wanted.shuffled().prefix(parameters.maxIHaveLength - asked))
        idsAsked[peer] = asked + wanted.count
        // One promise per IWANT, as in go: the peer must deliver that message within the followup time.
        if let promised = wanted.randomElement() {
            promises[promised, default: [:]][peer] = now + parameters.iwantFollowupTime
        }
        return [GossipsubRPC.IWant(messageIDs: wanted)]
    }

    private mutating func handleIWant(_ iwants: [GossipsubRPC.IWant], from peer: PeerID, now: ContinuousClock.Instant)
        -> [GossipsubRPC.Message]
    {
        guard scores.score(peer, now: now) >= thresholds.gossip else { return [] }
        var messages: [GossipsubRPC.Message] = []
        var unique: Set<[UInt8]> = []
        for iwant in iwants {
            for id in iwant.messageIDs where unique.insert(id).inserted {
                guard let (message, count) = cache.getForPeer(id, peer: peer),
                    count <= parameters.gossipRetransmission
                else { continue }
                messages.append(message)
            }
        }
        return messages
    }

    private mutating func handleGraft(_ grafts: [GossipsubRPC.Graft], from peer: PeerID, now: ContinuousClock.Instant)
        -> [GossipsubRPC.Prune]
    {
        var prunes: [GossipsubRPC.Prune] = []
        let score = scores.score(peer, now: now)
        for topic in Set(grafts.map(\.topic)) {
            // An unknown topic is ignored rather than answered, so GRAFT spam costs us nothing.
            guard joined.contains(topic), mesh[topic]?.contains(peer) == false else { continue }
            if let expiry = backoff[topic]?[peer], now < expiry {
                scores.penalise(peer)
                // Grafting right after our PRUNE (within the flood threshold) costs double.
                if now < expiry - parameters.pruneBackoff + parameters.graftFloodThreshold { scores.penalise(peer) }
                logger.info(
                    "peer scored down: GRAFT during backoff", metadata: ["peer": "\(peer)", "topic": "\(topic)"])
                addBackoff(peer, topic: topic, duration: parameters.pruneBackoff, now: now)
                prunes.append(makePrune(peer, topic: topic, px: false, unsubscribe: false, now: now))
            } else if score < 0 {
                addBackoff(peer, topic: topic, duration: parameters.pruneBackoff, now: now)
                prunes.append(makePrune(peer, topic: topic, px: false, unsubscribe: false, now: now))
            } else if (mesh[topic]?.count ?? 0) >= parameters.dHigh {
                addBackoff(peer, topic: topic, duration: parameters.pruneBackoff, now: now)
                prunes.append(makePrune(peer, topic: topic, px: true, unsubscribe: false, now: now))
            } else {
                mesh[topic]?.insert(peer)
                scores.graft(peer, topic: topic, now: now)
            }
        }
        return prunes
    }

    private mutating func handlePrune(
        _ prunes: [GossipsubRPC.Prune], from peer: PeerID, now: ContinuousClock.Instant,
        effects: inout GossipsubEffects
    ) {
        let score = scores.score(peer, now: now)
        // PRUNE for a topic we have not joined is ignored, so it cannot fill the backoff table.
        for prune in prunes where joined.contains(prune.topic) {
            if mesh[prune.topic]?.remove(peer) != nil { scores.prune(peer, topic: prune.topic, now: now) }
            let seconds = min(prune.backoff ?? 0, 24 * 3600)
            let duration = seconds > 0 ? Duration.seconds(Int64(seconds)) : parameters.pruneBackoff
            addBackoff(peer, topic: prune.topic, duration: duration, now: now)
            guard !prune.peers.isEmpty else { continue }
            guard score >= thresholds.acceptPX else {
                logger.debug("ignoring peer exchange from a low-scoring peer", metadata: ["peer": "\(peer)"])
                continue
            }
            for info in prune.peers.prefix(parameters.prunePeers) {
                guard let bytes = info.peerID, let multihash = try? Multihash(decoding: bytes) else { continue }
                let candidate = PeerID(multihash: multihash)
                guard candidate != localPeer, peers[candidate] == nil, !effects.connect.contains(candidate) else {
                    continue
                }
                effects.connect.append(candidate)
            }
        }
    }

    // MARK: Heartbeat

    /// Once per heartbeat interval: decays scores, penalises broken IWANT promises, keeps each mesh within
    /// D_low…D_high (dropping negative-score peers), grafts opportunistically, expires and refills fanout,
    /// emits IHAVE gossip and shifts the message cache.
    mutating func heartbeat(now: ContinuousClock.Instant) -> GossipsubEffects {
        var effects = GossipsubEffects()
        ticks += 1
        scores.refresh(now: now)
        applyBrokenPromises(now: now)
        ihavesReceived = [:]
        idsAsked = [:]
        for topic in backoff.keys {
            backoff[topic] = backoff[topic]?.filter { $0.value > now }
            if backoff[topic]?.isEmpty == true { backoff.removeValue(forKey: topic) }
        }
        for topic in mesh.keys.sorted() { maintainMesh(topic, now: now, effects: &effects) }
        for topic in fanout.keys.sorted() {
            if let last = fanoutLastPublished[topic], now - last > parameters.fanoutTTL {
                fanout.removeValue(forKey: topic)
                fanoutLastPublished.removeValue(forKey: topic)
                continue
            }
            var members = (fanout[topic] ?? []).filter {
                peers[$0]?.topics.contains(topic) == true && scores.score($0, now: now) >= thresholds.publish
            }
            if members.count < parameters.d {
                let candidates = topicPeers(topic).subtracting(members).filter {
                    scores.score($0, now: now) >= thresholds.publish
                }
                members.formUnion(candidates.shuffled().prefix(parameters.d - members.count))
            }
            fanout[topic] = members
            emitGossip(topic, excluding: members, now: now, effects: &effects)
        }
        seen.sweep(now: now)
        cache.shift()
        return effects
    }

    private mutating func applyBrokenPromises(now: ContinuousClock.Instant) {
        var broken: [PeerID: Int] = [:]
        for (id, byPeer) in promises {
            let late = byPeer.filter { $0.value <= now }
            guard !late.isEmpty else { continue }
            for peer in late.keys { broken[peer, default: 0] += 1 }
            let remaining = byPeer.filter { $0.value > now }
            promises[id] = remaining.isEmpty ? nil : remaining
        }
        for (peer, count) in broken where peers[peer] != nil {
            scores.penalise(peer, by: Double(count))
            logger.info("peer scored down: broken IWANT promises", metadata: ["peer": "\(peer)", "count": "\(count)"])
        }
    }

    private mutating func maintainMesh(_ topic: String, now: ContinuousClock.Instant, effects: inout GossipsubEffects) {
        var members = mesh[topic] ?? []
        for peer in members where scores.score(peer, now: now) < 0 || peers[peer]?.topics.contains(topic) != true {
            members.remove(peer)
            prune(peer, topic: topic, px: false, now: now, effects: &effects)
        }
        if members.count < parameters.dLow {
            let candidates = graftCandidates(topic, excluding: members, now: now).shuffled()
            for peer in candidates.prefix(parameters.d - members.count) {
                members.insert(peer)
                mesh[topic] = members
                graft(peer, topic: topic, now: now, effects: &effects)
            }
        }
        if members.count > parameters.dHigh {
            // Keep the D_score best, then random others up to D; prune the rest.
            let ranked = members.sorted { scores.score($0, now: now) > scores.score($1, now: now) }
            let kept = Set(ranked.prefix(parameters.dScore))
                .union(ranked.dropFirst(parameters.dScore).shuffled().prefix(parameters.d - parameters.dScore))
            for peer in members.subtracting(kept) {
                members.remove(peer)
                prune(peer, topic: topic, px: true, now: now, effects: &effects)
            }
        }
        if ticks % parameters.opportunisticGraftTicks == 0, members.count > 1 {
            let sorted = members.map { scores.score($0, now: now) }.sorted()
            let median = sorted[sorted.count / 2]
            if median < thresholds.opportunisticGraft {
                let better = graftCandidates(topic, excluding: members, now: now)
                    .filter { scores.score($0, now: now) > median }.shuffled()
                for peer in better.prefix(parameters.opportunisticGraftPeers) {
                    members.insert(peer)
                    mesh[topic] = members
                    graft(peer, topic: topic, now: now, effects: &effects)
                }
            }
        }
        mesh[topic] = members
        emitGossip(topic, excluding: members, now: now, effects: &effects)
    }

    /// IHAVE for the recent messages of `topic` to D_lazy (or gossip-factor) peers outside `excluding`.
    private func emitGossip(
        _ topic: String, excluding: Set<PeerID>, now: ContinuousClock.Instant, effects: inout GossipsubEffects
    ) {
        let ids = cache.gossipIDs(topic)
        guard !ids.isEmpty else { return }
        let candidates = topicPeers(topic).subtracting(excluding).filter {
            scores.score($0, now: now) >= thresholds.gossip
        }
        let count = max(parameters.dLazy, Int(parameters.gossipFactor * Double(candidates.count)))
        for peer in candidates.shuffled().prefix(count) {
            let advertised =
                ids.count > parameters.maxIHaveLength
                ? Array(ids.shuffled().prefix(parameters.maxIHaveLength)) : ids
            effects.control(to: peer) { $0.ihave.append(.init(topic: topic, messageIDs: advertised)) }
        }
    }

    // MARK: Helpers

    /// Topic peers that may join our mesh: not in it, not backing off, not negatively scored.
    private func graftCandidates(_ topic: String, excluding: Set<PeerID>, now: ContinuousClock.Instant) -> [PeerID] {
        topicPeers(topic).subtracting(excluding).filter { peer in
            backoff[topic]?[peer] == nil && scores.score(peer, now: now) >= 0
        }
    }

    private mutating func graft(
        _ peer: PeerID, topic: String, now: ContinuousClock.Instant, effects: inout GossipsubEffects
    ) {
        mesh[topic, default: []].insert(peer)
        scores.graft(peer, topic: topic, now: now)
        effects.control(to: peer) { $0.graft.append(.init(topic: topic)) }
    }

    private mutating func prune(
        _ peer: PeerID, topic: String, px: Bool, now: ContinuousClock.Instant, effects: inout GossipsubEffects
    ) {
        mesh[topic]?.remove(peer)
        scores.prune(peer, topic: topic, now: now)
        addBackoff(peer, topic: topic, duration: parameters.pruneBackoff, now: now)
        let usePX = px && scores.score(peer, now: now) >= 0
        effects.control(to: peer) {
            $0.prune.append(makePrune(peer, topic: topic, px: usePX, unsubscribe: false, now: now))
        }
    }

    private mutating func addBackoff(
        _ peer: PeerID, topic: String, duration: Duration, now: ContinuousClock.Instant
    ) {
        let expiry = now + duration
        if let current = backoff[topic]?[peer], current >= expiry { return }
        backoff[topic, default: [:]][peer] = expiry
    }

    /// A PRUNE for `peer`: v1.0 peers get a bare one; v1.1 peers a backoff and, with `px`, up to
    /// `prunePeers` other well-scored topic peers (without signed records).
    private func makePrune(_ peer: PeerID, topic: String, px: Bool, unsubscribe: Bool, now: ContinuousClock.Instant)
        -> GossipsubRPC.Prune
    {
        guard peers[peer]?.protocolID != Gossipsub.protocolV10 else { return GossipsubRPC.Prune(topic: topic) }
        let backoff = unsubscribe ? parameters.unsubscribeBackoff : parameters.pruneBackoff
        var prune = GossipsubRPC.Prune(topic: topic, backoff: UInt64(backoff.components.seconds))
        if px {
            let offered = topicPeers(topic).filter { $0 != peer && scores.score($0, now: now) >= 0 }
            prune.peers = offered.shuffled().prefix(parameters.prunePeers).map { .init(peerID: $0.bytes) }
        }
        return prune
    }
}
