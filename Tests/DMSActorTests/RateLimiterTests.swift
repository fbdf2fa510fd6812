import DMSActor
import DMSCrypto
import Testing

/// The Go DMS limiter test: public 1/2, broadcast 2/3, topic default 1, topic /broadcast/1 limited to 2.
@Suite struct RateLimiterTests {
    func limiter() throws -> RateLimiter {
        var limits = RateLimits()
        limits.publicAllow = 1
        limits.publicAcquire = 2
        limits.broadcastAllow = 2
        limits.broadcastAcquire = 3
        limits.topicDefault = 1
        limits.topicLimits = ["/broadcast/1": 2]
        let limiter = RateLimiter()
        try limiter.setLimits(limits)
        return limiter
    }

    func envelope(_ behavior: String, topic: String = "") -> Envelope {
        let from = ActorHandle(key: PrivateKey().publicKey, did: .empty, address: ActorAddress(host: "h", inbox: "i"))
        let to = topic.isEmpty ? from : ActorHandle.empty
        return Envelope(to: to, behavior: behavior, from: from, options: EnvelopeOptions(expiry: 1, topic: topic))
    }

    @Test func publicMessagesAreLimitedByConcurrency() throws {
        let limiter = try limiter()
        let message = envelope("/public/hello")
        #expect(limiter.allow(message))
        try limiter.acquire(message)
        #expect(limiter.active.public == 1)
        #expect(!limiter.allow(message))
        try limiter.acquire(message)
        #expect(limiter.active.public == 2)
        #expect(throws: ActorError.rateLimited) { try limiter.acquire(message) }
        limiter.release(message)
        limiter.release(message)
        #expect(limiter.active.public == 0)
        #expect(limiter.allow(message))
        #expect(limiter.allow(envelope("/dms/node/peers/list")))
    }

    @Test func broadcastsAreLimitedOverallAndPerTopic() throws {
        let limiter = try limiter()
        let one = envelope("/broadcast/x", topic: "/broadcast/1")
        let two = envelope("/broadcast/x", topic: "/broadcast/2")
        #expect(limiter.allow(one))
        try limiter.acquire(one)
        #expect(limiter.active.broadcast == 1)
        #expect(limiter.active.topics == ["/broadcast/1": 1])
        try limiter.acquire(one)
        #expect(limiter.active.topics == ["/broadcast/1": 2])
        #expect(!limiter.allow(one))
        #expect(throws: ActorError.rateLimited) { try limiter.acquire(one) }
        #expect(!limiter.allow(two))
        try limiter.acquire(two)
        #expect(limiter.active.broadcast == 3)
        #expect(throws: ActorError.rateLimited) { try limiter.acquire(two) }
        limiter.release(two)
        #expect(limiter.active.topics == ["/broadcast/1": 2])
        limiter.release(one)
        limiter.release(one)
        #expect(limiter.active.topics.isEmpty)
        #expect(limiter.active.broadcast == 0)
    }

    @Test func invalidLimitsAreRefused() {
        var limits = RateLimits()
        limits.publicAcquire = limits.publicAllow - 1
        #expect(throws: ActorError.self) { try RateLimiter().setLimits(limits) }
    }
}
