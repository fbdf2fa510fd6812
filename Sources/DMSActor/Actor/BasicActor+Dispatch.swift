import DMSCapabilities
import DMSCore
import DMSNetwork
import Foundation
import Tracing

extension BasicActor {
    /// Network entry point for point-to-point messages: cheap checks first, then the signature, then
    /// the replay guard, the rate limiter and the bounded mailbox.
    func receive(_ payload: [UInt8], from sender: String) async {
        statistics.recordReceived()
        let envelope: Envelope
        do {
            envelope = try Envelope(decoding: payload)
        } catch {
            return reject(error, nil)
        }
        guard envelope.to.id == handle.id else { return reject(.wrongDestination, envelope) }
        guard envelope.from.address.host == sender else {
            return reject(.badSender("claims host \(envelope.from.address.host) but came from \(sender)"), envelope)
        }
        await admit(envelope)
    }

    /// Entry point for broadcasts accepted by the topic validator; the actor's own broadcasts are skipped.
    func receiveBroadcast(_ payload: [UInt8], from sender: String) async {
        guard let envelope = try? Envelope(decoding: payload), envelope.from.id != handle.id else { return }
        statistics.recordReceived()
        guard envelope.from.address.host == sender else {
            return reject(.badSender("claims host \(envelope.from.address.host) but came from \(sender)"), envelope)
        }
        await admit(envelope)
    }

    private func admit(_ envelope: Envelope) async {
        let now = clock()
        do {
            try ActorSecurity.verify(envelope, now: now)
        } catch {
            // Unverified senders get no reply: replying could be used to reflect traffic at a victim.
            return reject(error, envelope)
        }
        guard replay.admit(sender: envelope.from.id, nonce: envelope.nonce, expiry: envelope.options.expiry, now: now)
        else {
            return reject(.replayed, envelope)
        }
        guard limiter.allow(envelope) else { return await refuse(envelope, .rateLimited) }
        let admitted = await mailbox.admit(envelope) { [self] message in await dispatch(message) }
        if !admitted { await refuse(envelope, .overloaded) }
    }

    /// Behavior lookup, capability check, limiter slot, handler, reply.
    func dispatch(_ envelope: Envelope) async {
        let now = clock()
        guard let behavior = behavior(envelope.behavior, now: now) else {
            return await refuse(envelope, .unknownBehavior(envelope.behavior))
        }
        if let expected = behavior.options.expectedSender, expected != envelope.from.id {
            return reject(.badSender("only the invoked actor may reply on \(behavior.name)"), envelope)
        }
        if envelope.isBroadcast && behavior.options.topic != envelope.options.topic {
            return reject(
                .notAuthorized("behavior \(behavior.name) is not registered for topic \(envelope.options.topic)"),
                envelope)
        }
        var consumed: [CapabilityToken] = []
        if behavior.options.authorization != .signatureOnly {
            do {
                consumed = try security.authorize(
                    envelope, required: behavior.required, topic: envelope.isBroadcast ? envelope.options.topic : nil)
            } catch {
                return await refuse(envelope, error)
            }
        }
        defer { security.capabilities.discard(consumed) }
        do {
            try limiter.acquire(envelope)
        } catch {
            return await refuse(envelope, error, consumed: consumed)
        }
        defer { limiter.release(envelope) }

        let started = ContinuousClock.now
        let result: Result<[UInt8]?, ActorError>
        if behavior.options.startsTrace || (envelope.options.traceParent != nil && !behavior.options.oneShot) {
            result = await withSpan(
                metrics?.label(behavior.name) ?? ActorMetrics.foldingReplies(behavior.name),
                context: EnvelopeTraceContext.context(of: envelope),
                ofKind: .server
            ) { span in
                let result = await run(behavior, envelope)
                if case .failure(let error) = result { span.setStatus(SpanStatus(code: .error, message: error.code)) }
                return result
            }
        } else {
            // Untraced, or a reply continuation: the replying handler's span already covers the exchange.
            result = await run(behavior, envelope)
        }
        let elapsed = ContinuousClock.now - started
        statistics.recordHandled(
            microseconds: UInt64(elapsed.components.seconds) * 1_000_000
                + UInt64(elapsed.components.attoseconds / 1_000_000_000_000))
        metrics?.recordHandled(behavior: behavior.name, duration: elapsed, failed: !result.isSuccess)
        switch result {
        case .success(let payload?) where !envelope.options.replyTo.isEmpty:
            do {
                try await reply(to: envelope, payload: payload)
            } catch {
                logger.debug("reply failed", metadata: ["behavior": "\(envelope.behavior)", "error": "\(error)"])
            }
        case .success:
            break
        case .failure(let error):
            await refuse(envelope, error, consumed: consumed, handled: true)
        }
    }

    /// Counts a refusal and drops the message silently (for messages whose sender is not verified or
    /// that cannot be answered).
    func reject(_ error: ActorError, _ envelope: Envelope?, handled: Bool = false) {
        statistics.recordRejected(error)
        if let metrics {
            metrics.recordRefusal(error)
            // A failed handler was counted as `failed` already; anything else never reached its handler.
            if !handled { metrics.record(behavior: envelope?.behavior ?? "", outcome: .refused) }
        }
        logger.debug(
            "message rejected",
            metadata: ["reason": "\(error.code)", "behavior": "\(envelope?.behavior ?? "?")", "detail": "\(error)"])
    }

    /// The handler's outcome, its errors as the actor's error replies name them.
    private func run(_ behavior: Behavior, _ envelope: Envelope) async -> Result<[UInt8]?, ActorError> {
        do {
            return .success(try await behavior.handler(IncomingMessage(envelope: envelope, actor: self)))
        } catch let error as ActorError {
            return .failure(error)
        } catch {
            return .failure(.handlerFailed(String(describing: error)))
        }
    }

    /// Counts a refusal of a verified message and, when the sender asked for a reply, answers with an
    /// error reply naming the reason. The reply is authorised by the reply delegation the request carries.
    func refuse(_ envelope: Envelope, _ error: ActorError, consumed: [CapabilityToken]? = nil, handled: Bool = false)
        async
    {
        reject(error, envelope, handled: handled)
        guard !envelope.options.replyTo.isEmpty, !envelope.isExpired(now: clock()) else { return }
        let tokens =
            consumed
            ?? ((try? security.capabilities.consume(origin: envelope.from.did, tokens: envelope.capability)) ?? [])
        defer { if consumed == nil { security.capabilities.discard(tokens) } }
        do {
            try await reply(to: envelope, payload: ErrorReply.payload(for: error))
        } catch {
            logger.debug("error reply failed", metadata: ["error": "\(error)"])
        }
    }
}

extension Result {
    fileprivate var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
