import DMSActor
import DMSCapabilities
import DMSCore
import DMSMessages

/// `/dms/cap/...`: remote administration of the node's capability context (the Go DMS's behaviors and
/// payloads), and the revocation broadcast on `/nunet/revocation` through which revocations reach every
/// node. Changes go through `NodeTrust`, so they are verified, persisted and applied at once.
enum CapabilityBehaviors {
    /// Revocations per broadcast message: keeps each well under the token and message size limits.
    static let revocationsPerMessage = 32
    /// How long a revocation broadcast stays valid for relaying peers.
    static let broadcastLifetime: UInt64 = 60_000_000_000

    static func register(on node: Node) {
        let actor = node.actor
        let trust = node.trust
        actor.addBehavior(Behaviors.capList) { message in
            let request =
                (message.envelope.message?.isEmpty ?? true) ? CapListRequest() : try message.decode(CapListRequest.self)
            let name = node.identity.contextName
            if let asked = request.context, !asked.isEmpty, asked != name {
                return CapabilityPayload.anchors(
                    CapabilityAnchors(), ok: false,
                    error: "context \"\(asked)\" is not served here: this node's context is \"\(name)\"")
            }
            return CapabilityPayload.anchors(node.identity.capabilities.anchors, ok: true, error: "")
        }
        actor.addBehavior(Behaviors.capAnchor) { message in
            await anchor(try CapabilityPayload.anchors(from: message.envelope.message ?? []), node: node)
        }
        let kinds:
            [(BehaviorSpec<TokenList, CapabilityOKResponse>, @Sendable ([CapabilityToken]) -> CapabilityAnchors)] = [
                (Behaviors.capProvideAnchor, { CapabilityAnchors(provide: $0) }),
                (Behaviors.capRequireAnchor, { CapabilityAnchors(require: $0) }),
                (Behaviors.capRevokeAnchor, { CapabilityAnchors(revoke: $0) }),
            ]
        for (spec, anchors) in kinds {
            actor.addBehavior(spec) { message in
                await anchor(anchors(try CapabilityPayload.tokens(from: message.envelope.message ?? [])), node: node)
            }
        }
        actor.addBehavior(Behaviors.capRevokeBroadcast) { _ in
            let revocations = node.identity.capabilities.anchors.revoke
            do {
                try await publish(revocations, from: node)
                return try Payload.encode(RevokeBroadcastResponse(ok: true, error: "", tokensCount: revocations.count))
            } catch {
                return try Payload.encode(RevokeBroadcastResponse(ok: false, error: "\(error)", tokensCount: 0))
            }
        }
        actor.addBehavior(Behaviors.revocation, options: BehaviorOptions(authorization: .signatureOnly)) { message in
            let sender = message.envelope.from.description
            let heard: [CapabilityToken]
            do {
                heard = try CapabilityPayload.tokens(from: message.envelope.message ?? [])
            } catch {
                node.logger.warning(
                    "revocation broadcast refused", metadata: ["from": "\(sender)", "reason": "\(error)"])
                return nil
            }
            let (applied, refused) = try await trust.learn(heard)
            for (token, reason) in refused {
                node.logger.warning(
                    "revocation refused",
                    metadata: ["from": "\(sender)", "issuer": "\(token.issuer)", "reason": "\(reason)"])
            }
            for token in applied {
                node.logger.info(
                    "revocation learned from the network",
                    metadata: ["from": "\(sender)", "issuer": "\(token.issuer)", "subject": "\(token.subject)"])
            }
            return nil
        }
    }

    /// Adds anchors through `NodeTrust` and broadcasts the revocations that were new; a failed broadcast
    /// is reported in `Error` with `OK` true, since the anchors were kept.
    private static func anchor(_ anchors: CapabilityAnchors, node: Node) async -> [UInt8] {
        var reply = CapabilityOKResponse(ok: true, error: "")
        let fresh: [CapabilityToken]
        do {
            fresh = try await node.trust.add(anchors)
        } catch {
            return (try? Payload.encode(CapabilityOKResponse(ok: false, error: "\(error)"))) ?? []
        }
        do {
            try await publish(fresh, from: node)
        } catch {
            // The anchors are kept; /dms/cap/revoke/broadcast can publish them again.
            reply.error = "anchored, but the revocation broadcast failed: \(error)"
        }
        return (try? Payload.encode(reply)) ?? []
    }

    /// Publishes `revocations` on `/nunet/revocation`, a bounded number per message.
    static func publish(_ revocations: [CapabilityToken], from node: Node) async throws {
        var start = 0
        while start < revocations.count {
            let batch = Array(revocations[start..<min(start + revocationsPerMessage, revocations.count)])
            start += batch.count
            try await node.actor.publish(
                Envelope(
                    to: .empty, behavior: Behaviors.revocation.name, from: node.actor.handle,
                    options: EnvelopeOptions(
                        expiry: node.actor.clock() + broadcastLifetime, topic: Topics.revocation),
                    message: CapabilityPayload.tokens(batch)))
            node.logger.info("revocations broadcast", metadata: ["count": "\(batch.count)"])
        }
    }
}
