import Synchronization

/// Limits of the rate limiter: how many public (`/public/…`) and broadcast handlers may run at once.
/// `allow` limits are checked cheaply on ingress; the slightly higher `acquire` limits at dispatch.
public struct RateLimits: Sendable, Equatable {
    public var publicAllow = 4096
    public var publicAcquire = 4112
    public var broadcastAllow = 1024
    public var broadcastAcquire = 1040
    public var topicDefault = 128
    public var topicLimits: [String: Int] = [:]

    public init() {}

    /// Every limit positive and each acquire limit at least its allow limit.
    public var isValid: Bool {
        publicAllow > 0 && publicAcquire >= publicAllow && broadcastAllow > 0 && broadcastAcquire >= broadcastAllow
            && topicDefault > 0 && topicLimits.values.allSatisfy { $0 > 0 }
    }
}

/// Counts concurrently active public and broadcast handlers (a concurrency limit, as in the Go DMS).
/// Capability-checked messages to other behaviors are not limited here; the mailbox bounds them.
public final class RateLimiter: Sendable {
    struct Counts: Equatable {
        var activePublic = 0
        var activeBroadcast = 0
        var activeTopics: [String: Int] = [:]
    }

    private let state: Mutex<(limits: RateLimits, counts: Counts)>

    public init(limits: RateLimits = RateLimits()) { state = Mutex((limits, Counts())) }

    public var limits: RateLimits {
        state.withLock { $0.limits }
    }

    public func setLimits(_ limits: RateLimits) throws(ActorError) {
        guard limits.isValid else { throw .invalidRequest("rate limits must be positive and acquire >= allow") }
        state.withLock { $0.limits = limits }
    }

    static func isPublic(_ behavior: String) -> Bool { behavior.hasPrefix("/public/") }

    /// The cheap ingress check.
    public func allow(_ envelope: Envelope) -> Bool {
        state.withLock { state in
            if envelope.isBroadcast {
                let topicLimit = state.limits.topicLimits[envelope.options.topic] ?? state.limits.topicDefault
                return state.counts.activeBroadcast < state.limits.broadcastAllow
                    && state.counts.activeTopics[envelope.options.topic, default: 0] < topicLimit
            }
            if Self.isPublic(envelope.behavior) { return state.counts.activePublic < state.limits.publicAllow }
            return true
        }
    }

    /// Takes a slot at dispatch; throws when the acquire limit is reached.
    public func acquire(_ envelope: Envelope) throws(ActorError) {
        try state.withLock { (state: inout (limits: RateLimits, counts: Counts)) throws(ActorError) in
            if envelope.isBroadcast {
                let topic = envelope.options.topic
                let topicLimit = state.limits.topicLimits[topic] ?? state.limits.topicDefault
                guard state.counts.activeBroadcast < state.limits.broadcastAcquire,
                    state.counts.activeTopics[topic, default: 0] < topicLimit
                else { throw .rateLimited }
                state.counts.activeBroadcast += 1
                state.counts.activeTopics[topic, default: 0] += 1
            } else if Self.isPublic(envelope.behavior) {
                guard state.counts.activePublic < state.limits.publicAcquire else { throw .rateLimited }
                state.counts.activePublic += 1
            }
        }
    }

    /// Gives back the slot `acquire` took.
    public func release(_ envelope: Envelope) {
        state.withLock { state in
            if envelope.isBroadcast {
                let topic = envelope.options.topic
                state.counts.activeBroadcast = max(0, state.counts.activeBroadcast - 1)
                let remaining = state.counts.activeTopics[topic, default: 0] - 1
                state.counts.activeTopics[topic] = remaining > 0 ? remaining : nil
            } else if Self.isPublic(envelope.behavior) {
                state.counts.activePublic = max(0, state.counts.activePublic - 1)
            }
        }
    }

    /// Active handler counts, for statistics and tests.
    public var active: (public: Int, broadcast: Int, topics: [String: Int]) {
        state.withLock { ($0.counts.activePublic, $0.counts.activeBroadcast, $0.counts.activeTopics) }
    }
}
