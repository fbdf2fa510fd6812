import DMSCapabilities
import DMSCore
import DMSCrypto
import DMSNetwork
import Foundation
import Synchronization

extension BasicActor {
    /// A new message from this actor, expiring after `timeout` seconds (30 by default, as the Go DMS).
    public func message(
        to destination: ActorHandle, behavior: String, payload: [UInt8]? = [], timeout: Double? = nil,
        expiry: UInt64? = nil
    ) -> Envelope {
        let lifetime = timeout.map { UInt64($0 * 1e9) } ?? Envelope.defaultLifetimeNanoseconds
        return Envelope(
            to: destination, behavior: behavior, from: handle,
            options: EnvelopeOptions(expiry: expiry ?? clock() + lifetime), message: payload)
    }

    /// Signs (with tokens for the behavior) and delivers `envelope` to its destination.
    public func send(_ envelope: Envelope) async throws(ActorError) {
        var outgoing = envelope
        let wire = try security.prepare(&outgoing)
        try await transmit(outgoing, wire: wire)
    }

    /// Delivers an already signed envelope (`wire`: its encoding, when already at hand).
    func transmit(_ envelope: Envelope, wire: [UInt8]? = nil) async throws(ActorError) {
        let now = clock()
        guard envelope.options.expiry > now else { throw .expired }
        let deadline = ContinuousClock.now.advanced(
            by: .nanoseconds(Int64(min(envelope.options.expiry - now, UInt64(Int64.max)))))
        do {
            try await network.send(
                wire ?? envelope.encoding, to: envelope.to.address.host, inbox: envelope.to.address.inbox,
                deadline: deadline)
        } catch {
            throw .network(error)
        }
        statistics.recordSent()
        metrics?.recordSent()
    }

    /// Sends `request` and waits for the reply until the message expires. Registers the one-shot reply
    /// behavior `/dms/actor/replyto/<nonce>`, accepting it only from the invoked actor, and delegates the
    /// reply capability to the receiver. An error reply throws `.remote` with the reason.
    public func invoke(_ request: Envelope) async throws(ActorError) -> Envelope {
        var envelope = request
        if envelope.nonce == 0 { envelope.nonce = security.nextNonce() }
        if envelope.options.replyTo.isEmpty {
            envelope.options.replyTo = "\(ActorSecurity.replyPrefix)/\(envelope.nonce)"
        }
        let wire = try security.prepare(&envelope)
        let continuation = envelope.options.replyTo
        let slot = ReplySlot(deadline: envelope.options.expiry)
        let accepted = state.withLock { state -> Bool in
            guard state.lifecycle == .running else { return false }
            state.pending[continuation] = slot
            return true
        }
        guard accepted else { throw .stopped }
        addBehavior(continuation, options: BehaviorOptions(oneShot: true, expectedSender: envelope.to.id)) {
            [weak self] message in
            self?.resolve(continuation, with: .success(message.envelope))
            return nil
        }
        startSweeper()
        do {
            try await transmit(envelope, wire: wire)
        } catch {
            resolve(continuation, with: .failure(error))
        }
        let reply = try await slot.wait().get()
        if let remote = ErrorReply.error(in: reply.message) { throw remote }
        return reply
    }

    /// Completes a pending invocation once; later results are ignored.
    func resolve(_ continuation: String, with result: Result<Envelope, ActorError>) {
        let slot = state.withLock { state in
            state.behaviors.removeValue(forKey: continuation)
            return state.pending.removeValue(forKey: continuation)
        }
        slot?.fill(result)
    }

    /// One task per actor times out pending invocations whose deadline passed (checked every 20 ms),
    /// instead of a timer per invocation.
    private func startSweeper() {
        state.withLock { state in
            guard state.sweeper == nil, state.lifecycle == .running else { return }
            state.sweeper = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(20))
                    guard let self else { return }
                    let now = self.clock()
                    let expired = self.state.withLock { state in
                        state.pending.filter { $0.value.deadline < now }.map(\.key)
                    }
                    for continuation in expired { self.resolve(continuation, with: .failure(.timeout)) }
                }
            }
        }
    }

    /// Replies to `request` on its continuation behavior, inheriting its expiry.
    public func reply(to request: Envelope, payload: [UInt8]) async throws(ActorError) {
        guard !request.options.replyTo.isEmpty else { throw .invalidRequest("the message asks for no reply") }
        let reply = Envelope(
            to: request.from, behavior: request.options.replyTo, from: handle,
            options: EnvelopeOptions(expiry: request.options.expiry), message: payload)
        try await send(reply)
    }

    // MARK: - Broadcast

    /// Publishes a broadcast (`to` empty, `opt.topic` set) with broadcast tokens for its behavior.
    public func publish(_ envelope: Envelope) async throws(ActorError) {
        guard envelope.isBroadcast else { throw .invalidRequest("a broadcast needs an empty destination and a topic") }
        var outgoing = envelope
        let wire = try security.prepare(&outgoing)
        do {
            try await network.publish(wire, topic: outgoing.options.topic)
        } catch {
            throw .network(error)
        }
        statistics.recordSent()
        metrics?.recordSent()
    }

    /// Publishes `envelope` asking for replies and collects every reply that arrives before it expires
    /// (or until `limit` replies, when the number of responders is known). Replies need only a valid
    /// signature: anyone may answer a broadcast.
    public func publishCollectingReplies(_ envelope: Envelope, limit: Int? = nil) async throws(ActorError) -> [Envelope]
    {
        var outgoing = envelope
        if outgoing.nonce == 0 { outgoing.nonce = security.nextNonce() }
        let continuation = "\(ActorSecurity.replyPrefix)/\(outgoing.nonce)"
        outgoing.options.replyTo = continuation
        let collected = Mutex<[Envelope]>([])
        addBehavior(
            continuation, options: BehaviorOptions(authorization: .signatureOnly, expiry: outgoing.options.expiry)
        ) {
            message in
            collected.withLock { $0.append(message.envelope) }
            return nil
        }
        defer { removeBehavior(continuation) }
        try await publish(outgoing)
        while clock() < outgoing.options.expiry {
            if let limit, collected.withLock({ $0.count }) >= limit { break }
            let remaining = outgoing.options.expiry - clock()
            try? await Task.sleep(for: .nanoseconds(Int64(min(remaining, limit == nil ? remaining : 10_000_000))))
        }
        return collected.withLock { $0 }
    }

    /// Receives broadcasts on `topic`; messages are validated before delivery (shape, topic, expiry,
    /// signature, rate limit) and dispatched to the behavior registered with that topic.
    public func subscribe(topic: String) throws(ActorError) {
        let added = state.withLock { $0.topics.insert(topic).inserted }
        guard added else { return }
        let limiter = self.limiter
        let clock = self.clock
        do {
            try network.subscribe(
                topic: topic,
                validator: { payload, _ in
                    guard let envelope = try? Envelope(decoding: payload), envelope.isBroadcast,
                        envelope.options.topic == topic
                    else { return .reject }
                    if envelope.isExpired(now: clock()) { return .ignore }
                    guard (try? ActorSecurity.verify(envelope, now: clock())) != nil else { return .reject }
                    return limiter.allow(envelope) ? .accept : .ignore
                },
                handler: { [weak self] payload, sender in await self?.receiveBroadcast(payload, from: sender) })
        } catch {
            _ = state.withLock { $0.topics.remove(topic) }
            throw .network(error)
        }
    }

    public func unsubscribe(topic: String) {
        guard state.withLock({ $0.topics.remove(topic) }) != nil else { return }
        network.unsubscribe(topic: topic)
    }
}
