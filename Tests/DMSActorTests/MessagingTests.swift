import DMSActor
import DMSCapabilities
import DMSCore
import DMSCrypto
import DMSNetwork
import Foundation
import Synchronization
import Testing

/// Two nodes on an in-memory network exchanging real signed envelopes with capability tokens.
@Suite struct MessagingTests {
    let hub = InMemoryNetworkHub()

    @Test func sendDeliversTheExactPayloadToATrustedActor() async throws {
        let a = try TestNode(hub: hub)
        let b = try TestNode(hub: hub)
        try b.trust(a, capabilities: ["/test"])
        let received = Recorder()
        b.actor.addBehavior("/test") { message in
            received.record(text(message.envelope.message))
            return nil
        }
        try await a.actor.send(a.actor.message(to: b.handle, behavior: "/test", payload: json(#"{"x":1,"s":"<&>"}"#)))
        #expect(await eventually { received.count == 1 })
        #expect(received.all == [#"{"x":1,"s":"<&>"}"#])
    }

    @Test func invokeReturnsTheReplyAndBothSidesCount() async throws {
        let a = try TestNode(hub: hub)
        let b = try TestNode(hub: hub)
        try b.trust(a, capabilities: ["/echo"])
        b.actor.addBehavior("/echo") { message in message.envelope.message }
        let reply = try await a.actor.invoke(
            a.actor.message(to: b.handle, behavior: "/echo", payload: json("\"ping\"")))
        #expect(text(reply.message) == "\"ping\"")
        #expect(reply.from.id == b.handle.id)
        #expect(b.actor.statistics.snapshot.handled == 1)
        #expect(a.actor.statistics.snapshot.received == 1)
        #expect(a.actor.behaviorNames.isEmpty, "the one-shot reply behavior is gone")
    }

    @Test func unauthorisedInvocationsFailFastWithTheReason() async throws {
        let a = try TestNode(hub: hub)
        let b = try TestNode(hub: hub)
        b.actor.addBehavior("/secret") { _ in json("\"leak\"") }
        let error = await #expect(throws: ActorError.self) {
            try await a.actor.invoke(a.actor.message(to: b.handle, behavior: "/secret", timeout: 20))
        }
        // The error reply's code, not a timeout: the invocation failed as soon as the refusal came back.
        #expect(error?.code == "not_authorized")
        #expect(b.actor.statistics.snapshot.rejected["not_authorized"] == 1)
        #expect(b.actor.statistics.snapshot.handled == 0)
    }

    @Test func unknownBehaviorsAndHandlerErrorsAreErrorReplies() async throws {
        let a = try TestNode(hub: hub)
        let b = try TestNode(hub: hub)
        try b.trust(a, capabilities: ["/"])
        b.actor.addBehavior("/fails") { _ in throw ActorError.invalidRequest("bad input: field x") }
        let unknown = await #expect(throws: ActorError.self) {
            try await a.actor.invoke(a.actor.message(to: b.handle, behavior: "/nothing/here"))
        }
        #expect(unknown == .remote(code: "unknown_behavior", message: "unknown behavior /nothing/here"))
        let failed = await #expect(throws: ActorError.self) {
            try await a.actor.invoke(a.actor.message(to: b.handle, behavior: "/fails"))
        }
        #expect(failed == .remote(code: "invalid_request", message: "bad input: field x"))
    }

    @Test func aReplayedEnvelopeIsRejected() async throws {
        let a = try TestNode(hub: hub)
        let b = try TestNode(hub: hub)
        try b.trust(a, capabilities: ["/count"])
        let count = Recorder()
        b.actor.addBehavior("/count") { _ in
            count.record("x")
            return nil
        }
        var envelope = a.actor.message(to: b.handle, behavior: "/count")
        try a.actor.security.prepare(&envelope)
        for _ in 0..<3 {
            try await a.network.send(envelope.encoding, to: b.handle.address.host, inbox: "root", deadline: nil)
        }
        #expect(await eventually { b.actor.statistics.snapshot.rejected["replayed"] == 2 })
        #expect(await eventually { count.count == 1 })
        try await Task.sleep(for: .milliseconds(50))
        #expect(count.count == 1)
    }

    @Test func forgedSpoofedAndExpiredMessagesAreDroppedWithoutReply() async throws {
        let a = try TestNode(hub: hub)
        let b = try TestNode(hub: hub)
        try b.trust(a, capabilities: ["/x"])
        b.actor.addBehavior("/x") { _ in nil }
        var forged = a.actor.message(to: b.handle, behavior: "/x")
        try a.actor.security.prepare(&forged)
        forged.message = json("\"changed\"")
        try await a.network.send(forged.encoding, to: b.handle.address.host, inbox: "root", deadline: nil)
        // Claims to come from a's host but is sent by a third host.
        let c = try TestNode(hub: hub)
        var spoofed = a.actor.message(to: b.handle, behavior: "/x")
        try a.actor.security.prepare(&spoofed)
        try await c.network.send(spoofed.encoding, to: b.handle.address.host, inbox: "root", deadline: nil)
        var expired = a.actor.message(to: b.handle, behavior: "/x", expiry: UnixTime.nowNanoseconds() - 1)
        try a.actor.security.prepare(&expired)
        try await a.network.send(expired.encoding, to: b.handle.address.host, inbox: "root", deadline: nil)
        #expect(await eventually { b.actor.statistics.snapshot.rejected.values.reduce(0, +) == 3 })
        let rejected = b.actor.statistics.snapshot.rejected
        #expect(rejected["bad_signature"] == 1)
        #expect(rejected["bad_sender"] == 1)
        #expect(rejected["expired"] == 1)
        #expect(a.actor.statistics.snapshot.received == 0, "no error replies to unverified messages")
    }

    @Test func aFullMailboxReportsOverloadInsteadOfDropping() async throws {
        var configuration = ActorConfiguration()
        configuration.mailboxCapacity = 1
        configuration.concurrency = 1
        let a = try TestNode(hub: hub)
        let b = try TestNode(hub: hub, configuration: configuration)
        try b.trust(a, capabilities: ["/slow"])
        let gate = Gate()
        b.actor.addBehavior("/slow") { _ in
            await gate.wait()
            return json("\"done\"")
        }
        let outcomes = Recorder()
        let calls = (0..<4).map { _ in
            Task {
                do throws(ActorError) {
                    _ = try await a.actor.invoke(a.actor.message(to: b.handle, behavior: "/slow"))
                    outcomes.record("ok")
                } catch {
                    outcomes.record(error.code)
                }
            }
        }
        // One message runs, one waits in the mailbox, two are refused at once.
        #expect(await eventually { outcomes.all.filter { $0 == "overloaded" }.count == 2 })
        gate.open()
        for call in calls { await call.value }
        #expect(outcomes.all.filter { $0 == "ok" }.count == 2, "\(outcomes.all)")
        #expect(b.actor.statistics.snapshot.rejected["overloaded"] == 2)
    }

    @Test func theRateLimiterRefusesPublicMessagesBeyondItsLimit() async throws {
        let configuration = ActorConfiguration()
        var limits = RateLimits()
        limits.publicAllow = 1
        limits.publicAcquire = 1
        try configuration.limiter.setLimits(limits)
        let a = try TestNode(hub: hub)
        let b = try TestNode(hub: hub, configuration: configuration)
        try b.trust(a, capabilities: ["/public"])
        let gate = Gate()
        b.actor.addBehavior("/public/slow") { _ in
            await gate.wait()
            return json("1")
        }
        async let first = a.actor.invoke(a.actor.message(to: b.handle, behavior: "/public/slow"))
        #expect(await eventually { b.actor.limiter.active.public == 1 })
        let second = await #expect(throws: ActorError.self) {
            try await a.actor.invoke(a.actor.message(to: b.handle, behavior: "/public/slow"))
        }
        #expect(second?.code == "rate_limited")
        gate.open()
        #expect(text(try await first.message) == "1")
        #expect(await eventually { b.actor.limiter.active.public == 0 })
    }

    @Test(.timeLimit(.minutes(1))) func invocationsTimeOutWhenNobodyAnswers() async throws {
        let a = try TestNode(hub: hub)
        let b = try TestNode(hub: hub)
        try b.trust(a, capabilities: ["/silent"])
        b.actor.addBehavior("/silent") { _ in nil }
        let error = await #expect(throws: ActorError.self) {
            try await a.actor.invoke(a.actor.message(to: b.handle, behavior: "/silent", timeout: 2))
        }
        // On a loaded machine the deadline may pass before the message is even sent: also a clean failure.
        #expect(error == .timeout || error == .expired, "\(String(describing: error))")
    }

    @Test func anUnreachableHostFailsTheInvocation() async throws {
        let a = try TestNode(hub: hub)
        let ghost = try ActorHandle.root(did: DID(publicKey: PrivateKey().publicKey))
        let error = await #expect(throws: ActorError.self) {
            try await a.actor.invoke(a.actor.message(to: ghost, behavior: "/x"))
        }
        #expect(error?.code == "network")
    }

    @Test func signedMessagesToItselfRunWithoutTokens() async throws {
        let a = try TestNode(hub: hub)
        a.actor.addBehavior("/self") { _ in json("\"me\"") }
        let reply = try await a.actor.invoke(a.actor.message(to: a.handle, behavior: "/self"))
        #expect(text(reply.message) == "\"me\"")
    }

    @Test func aStoppedActorFailsPendingInvocationsAndReceivesNothing() async throws {
        let a = try TestNode(hub: hub)
        let b = try TestNode(hub: hub)
        try b.trust(a, capabilities: ["/silent"])
        b.actor.addBehavior("/silent") { _ in nil }
        let pending = Task { () throws(ActorError) -> Envelope in
            try await a.actor.invoke(a.actor.message(to: b.handle, behavior: "/silent"))
        }
        #expect(await eventually { b.actor.statistics.snapshot.handled == 1 })
        await a.actor.stop()
        await #expect(throws: ActorError.stopped) { _ = try await pending.value }
        let error = await #expect(throws: ActorError.self) {
            try await b.actor.invoke(b.actor.message(to: a.handle, behavior: "/x"))
        }
        #expect(error?.code == "network")
        #expect(await a.actor.waitForExit() == ActorExit.normal)
    }

    @Test func oneShotAndExpiringBehaviorsDisappear() async throws {
        let a = try TestNode(hub: hub)
        a.actor.addBehavior("/once", options: BehaviorOptions(oneShot: true)) { _ in json("1") }
        a.actor.addBehavior("/gone", options: BehaviorOptions(expiry: UnixTime.nowNanoseconds() - 1)) { _ in json("1") }
        _ = try await a.actor.invoke(a.actor.message(to: a.handle, behavior: "/once"))
        #expect(!a.actor.behaviorNames.contains("/once"))
        let error = await #expect(throws: ActorError.self) {
            try await a.actor.invoke(a.actor.message(to: a.handle, behavior: "/gone"))
        }
        #expect(error?.code == "unknown_behavior")
        #expect(!a.actor.behaviorNames.contains("/gone"))
    }

    @Test func startIsIdempotentAndTheLimiterSlotIsReleasedWhenAHandlerThrows() async throws {
        let a = try TestNode(hub: hub)
        try a.actor.start()
        a.actor.addBehavior("/public/throws") { _ in throw ActorError.handlerFailed("boom") }
        await #expect(throws: ActorError.self) {
            try await a.actor.invoke(a.actor.message(to: a.handle, behavior: "/public/throws"))
        }
        #expect(a.actor.limiter.active.public == 0)
    }

    @Test func concurrentNoncesAreDistinct() async {
        let node = try! TestNode(hub: hub, start: false)
        let nonces = await withTaskGroup(of: UInt64.self) { group in
            for _ in 0..<64 { group.addTask { node.actor.security.nextNonce() } }
            return await group.reduce(into: Set<UInt64>()) { $0.insert($1) }
        }
        #expect(nonces.count == 64)
    }

    @Test func signingForAnotherActorIsRefused() throws {
        let a = try TestNode(hub: hub)
        let b = try TestNode(hub: hub)
        var envelope = b.actor.message(to: a.handle, behavior: "/x")
        #expect(throws: ActorError.badSender("the envelope's sender is not this actor")) {
            try a.actor.security.prepare(&envelope)
        }
    }
}
