import DMSActor
import DMSCore
import DMSNetwork
import Synchronization

/// Relays envelopes that local clients (the CLI, through the REST API) signed with their own keys. A
/// client names this node's host in its `from` handle and picks an inbox for replies; the gateway opens
/// that inbox for the duration of the request. Envelopes are checked before they are forwarded.
public struct ClientGateway: Sendable {
    public let node: Node

    public init(node: Node) { self.node = node }

    /// Forwards a signed envelope to its destination.
    public func send(_ envelope: Envelope) async throws(ActorError) {
        try check(envelope, needsReply: false)
        try await forward(envelope)
    }

    /// Forwards an invocation and returns the reply (an error reply included) or fails at the deadline.
    public func invoke(_ envelope: Envelope) async throws(ActorError) -> Envelope {
        try check(envelope, needsReply: true)
        let replies = try await collect(on: envelope, limit: 1) { () throws(ActorError) in try await forward(envelope) }
        guard let reply = replies.first else { throw .timeout }
        return reply
    }

    /// Publishes a broadcast and returns every reply received before it expires.
    public func broadcast(_ envelope: Envelope) async throws(ActorError) -> [Envelope] {
        guard envelope.isBroadcast else { throw .invalidRequest("a broadcast needs an empty \"to\" and opt.topic") }
        try check(envelope, needsReply: !envelope.options.replyTo.isEmpty)
        return try await collect(on: envelope, limit: nil) { () throws(ActorError) in
            do throws(NetworkError) {
                try await node.network.publish(envelope.encoding, topic: envelope.options.topic)
            } catch {
                throw .network(error)
            }
        }
    }

    private func check(_ envelope: Envelope, needsReply: Bool) throws(ActorError) {
        try ActorSecurity.verify(envelope, now: node.actor.clock())
        guard envelope.from.address.host == node.network.hostID else {
            throw .badSender("from.addr.host must be this node's peer ID \(node.network.hostID)")
        }
        if needsReply {
            guard !envelope.options.replyTo.isEmpty else { throw .invalidRequest("an invocation needs opt.cont") }
            let inbox = envelope.from.address.inbox
            guard !inbox.isEmpty, node.actor.registry.actor(inbox: inbox) == nil else {
                throw .invalidRequest("from.addr.inbox must name a free client inbox, not \"\(inbox)\"")
            }
        }
        if !envelope.isBroadcast && envelope.to.address.host.isEmpty {
            throw .invalidRequest("the destination handle has no host")
        }
    }

    private func forward(_ envelope: Envelope) async throws(ActorError) {
        let now = node.actor.clock()
        let remaining = envelope.options.expiry > now ? envelope.options.expiry - now : 0
        do throws(NetworkError) {
            try await node.network.send(
                envelope.encoding, to: envelope.to.address.host, inbox: envelope.to.address.inbox,
                deadline: .now.advanced(by: .nanoseconds(Int64(min(remaining, UInt64(Int64.max))))))
        } catch {
            throw .network(error)
        }
    }

    /// Opens the client's reply inbox, runs `action`, and gathers replies until the envelope expires or
    /// `limit` replies arrived.
    private func collect(
        on envelope: Envelope, limit: Int?, action: () async throws(ActorError) -> Void
    ) async throws(ActorError) -> [Envelope] {
        let inbox = envelope.from.address.inbox
        let replies = Mutex<[Envelope]>([])
        do throws(NetworkError) {
            try node.network.register(inbox: inbox) { payload, _ in
                guard let reply = try? Envelope(decoding: payload) else { return }
                replies.withLock { $0.append(reply) }
            }
        } catch {
            throw .network(error)
        }
        defer { node.network.unregister(inbox: inbox) }
        try await action()
        while node.actor.clock() < envelope.options.expiry {
            if let limit, replies.withLock({ $0.count }) >= limit { break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return replies.withLock { $0 }
    }
}
