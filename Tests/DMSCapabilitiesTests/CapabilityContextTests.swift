import DMSCapabilities
import DMSCore
import DMSCrypto
import Testing

/// The capability-context scenarios of the Go DMS test suite (reference §6, lib/ucan), restated: invoke
/// and reply, reciprocal trust, broadcast, depth, and the adversarial cases.
@Suite struct CapabilityContextTests {
    let clock = TestClock()

    /// One side of an exchange: a node identity and one of its actors.
    struct Node {
        let party: Party
        let actor: DID
        init(_ name: String, clock: TestClock) {
            party = Party(name, clock: clock)
            actor = Party.actorDID()
        }
        var context: CapabilityContext { party.context }
    }

    /// `sender` invokes `capability` on `receiver` (optionally asking for a reply on `replyTo`); returns
    /// whether the receiver authorises it, leaving the consumed tokens in place for a reply.
    @discardableResult
    func invoke(
        _ sender: Node, _ receiver: Node, _ capability: Capability, replyTo: Capability? = nil
    ) throws -> [CapabilityToken] {
        let tokens = try sender.context.provide(
            target: receiver.party.did, subject: sender.actor, audience: receiver.actor, expiry: clock.inOneHour(),
            invoke: [capability], delegate: replyTo.map { [$0] } ?? [])
        let consumed = try receiver.context.consume(origin: sender.party.did, tokens: tokens.encoding)
        try receiver.context.require(
            consumed, anchor: receiver.party.did, subject: sender.actor, audience: receiver.actor,
            capabilities: [capability])
        return consumed
    }

    @Test func sameRootBothDirectionsAndTheReplyUsesTheDelegatedCapability() throws {
        let user = Party("user", clock: clock)
        let a = Node("a", clock: clock)
        let b = Node("b", clock: clock)
        for node in [a, b] {
            try node.context.addAnchors(CapabilityAnchors(roots: [user.did]))
            let grant = try user.context.grant(
                .delegate, subject: node.party.did, expiry: clock.inOneDay(), capabilities: ["/test"])
            try node.context.addAnchors(CapabilityAnchors(provide: [grant]))
        }
        let consumed = try invoke(a, b, "/test", replyTo: "/dms/actor/replyto/7")
        // The reply: b holds a's one-level delegation of the reply behavior and chains an invocation on it.
        let reply = try b.context.provide(
            target: a.party.did, subject: b.actor, audience: a.actor, expiry: clock.inOneHour(),
            invoke: ["/dms/actor/replyto/7"], delegate: [])
        #expect(reply.tokens.contains { $0.chain?.issuer == a.party.did })
        let replyTokens = try a.context.consume(origin: b.party.did, tokens: reply.encoding)
        try a.context.require(
            replyTokens, anchor: a.party.did, subject: b.actor, audience: a.actor,
            capabilities: ["/dms/actor/replyto/7"])
        b.context.discard(consumed)
        try invoke(b, a, "/test")
    }

    @Test func discardedTokensAreGoneFromTheStore() throws {
        let user = Party("user", clock: clock)
        let a = Node("a", clock: clock)
        let b = Node("b", clock: clock)
        try b.context.addAnchors(CapabilityAnchors(roots: [user.did]))
        try a.context.addAnchors(
            CapabilityAnchors(provide: [
                try user.context.grant(
                    .delegate, subject: a.party.did, expiry: clock.inOneDay(), capabilities: ["/test"])
            ]))
        let consumed = try invoke(a, b, "/test", replyTo: "/dms/actor/replyto/1")
        let replyWhileHeld = try b.context.provide(
            target: a.party.did, subject: b.actor, audience: a.actor, expiry: clock.inOneHour(),
            invoke: ["/dms/actor/replyto/1"], delegate: [], selfSign: .no)
        #expect(replyWhileHeld.tokens.count == 1)
        b.context.discard(consumed)
        #expect(throws: CapabilityError.self) {
            try b.context.provide(
                target: a.party.did, subject: b.actor, audience: a.actor, expiry: clock.inOneHour(),
                invoke: ["/dms/actor/replyto/1"], delegate: [], selfSign: .no)
        }
    }

    /// Two organisations with separate roots trust each other through require anchors.
    func twoRoots(crossTrust: Bool) throws -> (Node, Node) {
        let rootA = Party("root-a", clock: clock)
        let rootB = Party("root-b", clock: clock)
        let a = Node("a", clock: clock)
        let b = Node("b", clock: clock)
        try a.context.addAnchors(
            CapabilityAnchors(
                roots: [rootA.did],
                provide: [
                    try rootA.context.grant(
                        .delegate, subject: a.party.did, topics: ["/nunet"], expiry: clock.inOneDay(),
                        capabilities: ["/test", "/broadcast"])
                ]))
        try b.context.addAnchors(
            CapabilityAnchors(
                roots: [rootB.did],
                provide: [
                    try rootB.context.grant(
                        .delegate, subject: b.party.did, topics: ["/nunet"], expiry: clock.inOneDay(),
                        capabilities: ["/test", "/broadcast"])
                ]))
        if crossTrust {
            try a.context.addAnchors(
                CapabilityAnchors(require: [
                    try rootA.context.grant(
                        .delegate, subject: rootB.did, topics: ["/nunet"], expiry: clock.inOneDay(),
                        capabilities: ["/test", "/broadcast"])
                ]))
            try b.context.addAnchors(
                CapabilityAnchors(require: [
                    try rootB.context.grant(
                        .delegate, subject: rootA.did, topics: ["/nunet"], expiry: clock.inOneDay(),
                        capabilities: ["/test", "/broadcast"])
                ]))
        }
        return (a, b)
    }

    @Test func reciprocalTrustThroughRequireAnchors() throws {
        let (a, b) = try twoRoots(crossTrust: true)
        try invoke(a, b, "/test")
        try invoke(b, a, "/test")
        #expect(throws: CapabilityError.self) { try invoke(a, b, "/other") }
    }

    @Test func withoutRequireAnchorsSeparateRootsDistrustEachOther() throws {
        let (a, b) = try twoRoots(crossTrust: false)
        #expect(throws: CapabilityError.self) { try invoke(a, b, "/test") }
        #expect(throws: CapabilityError.self) { try invoke(b, a, "/test") }
    }

    func broadcast(_ sender: Node, _ receiver: Node, topic: Capability) throws {
        let tokens = try sender.context.provideBroadcast(
            subject: sender.actor, topic: topic, expiry: clock.inOneHour(), capabilities: ["/broadcast/hello"])
        let consumed = try receiver.context.consume(origin: sender.party.did, tokens: tokens.encoding)
        try receiver.context.requireBroadcast(
            consumed, anchor: receiver.party.did, subject: sender.actor, topic: topic,
            capabilities: ["/broadcast/hello"])
    }

    @Test func broadcastsNeedTrustAndTheRightTopic() throws {
        let (a, b) = try twoRoots(crossTrust: true)
        try broadcast(a, b, topic: "/nunet/hello")
        let (c, d) = try twoRoots(crossTrust: false)
        #expect(throws: CapabilityError.self) { try broadcast(c, d, topic: "/nunet/hello") }
        let tokens = try a.context.provideBroadcast(
            subject: a.actor, topic: "/nunet/hello", expiry: clock.inOneHour(), capabilities: ["/broadcast/hello"])
        let consumed = try b.context.consume(origin: a.party.did, tokens: tokens.encoding)
        #expect(throws: CapabilityError.self) {
            try b.context.requireBroadcast(
                consumed, anchor: b.party.did, subject: a.actor, topic: "/other", capabilities: ["/broadcast/hello"])
        }
    }

    @Test func aDepthOneGrantAllowsInvokingAndBroadcastingButNotDelegating() throws {
        let user = Party("user", clock: clock)
        let a = Party("a", clock: clock)
        try a.context.addAnchors(
            CapabilityAnchors(provide: [
                try user.context.grant(
                    .delegate, subject: a.did, topics: ["/nunet"], expiry: clock.inOneDay(), depth: 1,
                    capabilities: ["/test"])
            ]))
        let invocation = try a.context.delegateInvocation(
            target: user.did, subject: Party.actorDID(), audience: Party.actorDID(), expiry: clock.inOneHour(),
            capabilities: ["/test"], selfSign: .no)
        #expect(invocation.count == 1)
        let broadcast = try a.context.delegateBroadcast(
            subject: Party.actorDID(), topic: "/nunet", expiry: clock.inOneHour(), capabilities: ["/test"],
            selfSign: .no)
        #expect(broadcast.count == 1)
        let error = #expect(throws: CapabilityError.self) {
            try a.context.delegate(to: Party("c", clock: clock).did, expiry: clock.inOneHour(), capabilities: ["/test"])
        }
        #expect(error?.description.contains("depth limit allows no further link") == true)
    }

    @Test func tamperedTokensAreIgnoredOnConsumeAndRefusedAsAnchors() throws {
        let user = Party("user", clock: clock)
        let a = Node("a", clock: clock)
        let b = Node("b", clock: clock)
        try b.context.addAnchors(CapabilityAnchors(roots: [user.did]))
        let grant = try user.context.grant(
            .delegate, subject: a.party.did, expiry: clock.inOneDay(), capabilities: ["/test"])
        let tampered = CapabilityToken(
            action: .delegate, issuer: grant.issuer, subject: grant.subject, capabilities: ["/"], nonce: grant.nonce,
            expiry: grant.expiry, signature: grant.signature)
        #expect(throws: CapabilityError.badSignature(issuer: user.did.uri)) {
            try a.context.addAnchors(CapabilityAnchors(provide: [tampered]))
        }
        #expect(throws: CapabilityError.badSignature(issuer: user.did.uri)) {
            try b.context.addAnchors(CapabilityAnchors(require: [tampered]))
        }
        #expect(a.context.anchors.provide.isEmpty)
        // A forged chain presented in a message is ignored, so the invocation is refused.
        let forgedInvoke = CapabilityToken(
            action: .invoke, issuer: a.party.did, subject: a.actor, audience: b.actor, capabilities: ["/test"],
            nonce: [1], expiry: clock.inOneHour(), chain: tampered)
        let signed = forgedInvoke.signed(with: a.party.key.sign(forgedInvoke.signingData))
        let kept = b.context.consume(origin: a.party.did, tokens: [signed])
        #expect(kept.isEmpty)
        #expect(throws: CapabilityError.self) {
            try b.context.require(
                [signed], anchor: b.party.did, subject: a.actor, audience: b.actor, capabilities: ["/test"])
        }
    }

    @Test func aThirdPartyCannotUseOrRetargetSomeoneElsesToken() throws {
        let user = Party("user", clock: clock)
        let a = Node("a", clock: clock)
        let b = Node("b", clock: clock)
        let eve = Node("eve", clock: clock)
        try b.context.addAnchors(CapabilityAnchors(roots: [user.did]))
        try a.context.addAnchors(
            CapabilityAnchors(provide: [
                try user.context.grant(
                    .delegate, subject: a.party.did, expiry: clock.inOneDay(), capabilities: ["/test"])
            ]))
        let tokens = try a.context.provide(
            target: b.party.did, subject: a.actor, audience: b.actor, expiry: clock.inOneHour(), invoke: ["/test"],
            delegate: [])
        // Eve replays a's tokens as her own: the subject is a's actor, not eve's.
        let replayed = try b.context.consume(origin: eve.party.did, tokens: tokens.encoding)
        #expect(throws: CapabilityError.self) {
            try b.context.require(
                replayed, anchor: b.party.did, subject: eve.actor, audience: b.actor, capabilities: ["/test"])
        }
        // Rewriting the audience breaks the signature.
        let original = try #require(tokens.tokens.first { $0.chain != nil })
        let retargeted = CapabilityToken(
            action: original.action, issuer: original.issuer, subject: original.subject, audience: eve.actor,
            capabilities: original.capabilityList, nonce: original.nonce, expiry: original.expiry,
            chain: original.chain,
            signature: original.signature)
        #expect(eve.context.consume(origin: a.party.did, tokens: [retargeted]).isEmpty)
    }

    @Test func delegationsBeyondTheAnchorAreRefused() throws {
        let user = Party("user", clock: clock)
        let a = Party("a", clock: clock)
        try a.context.addAnchors(
            CapabilityAnchors(provide: [
                try user.context.grant(
                    .delegate, subject: a.did, topics: ["/nunet"], expiry: clock.inOneDay(), capabilities: ["/public"])
            ]))
        let other = Party("other", clock: clock).did
        #expect(throws: CapabilityError.self) {
            try a.context.delegate(to: other, expiry: clock.inOneHour(), capabilities: ["/dms"])
        }
        #expect(throws: CapabilityError.self) {
            try a.context.delegate(to: other, topics: ["/other"], expiry: clock.inOneHour(), capabilities: ["/public"])
        }
        #expect(throws: CapabilityError.self) {
            try a.context.delegate(to: other, expiry: clock.inOneDay() + 1, capabilities: ["/public"])
        }
        #expect(throws: CapabilityError.self) {
            try a.context.delegateBroadcast(
                subject: other, topic: "/nunet", expiry: clock.inOneHour(), capabilities: ["/dms"], selfSign: .no)
        }
        let allowed = try a.context.delegate(
            to: other, topics: ["/nunet"], expiry: nil, capabilities: ["/public/hello"])
        #expect(allowed.first?.expiry == clock.inOneDay())
    }

    @Test func chainsExpireAndMustBeAnchoredInTheReceiversTrust() throws {
        let user = Party("user", clock: clock)
        let stranger = Party("stranger", clock: clock)
        let a = Node("a", clock: clock)
        let b = Node("b", clock: clock)
        try b.context.addAnchors(CapabilityAnchors(roots: [user.did]))
        try a.context.addAnchors(
            CapabilityAnchors(provide: [
                try user.context.grant(
                    .delegate, subject: a.party.did, expiry: clock.inOneHour(), capabilities: ["/test"]),
                try stranger.context.grant(
                    .delegate, subject: a.party.did, expiry: clock.inOneDay(), capabilities: ["/stranger"]),
            ]))
        try invoke(a, b, "/test")
        #expect(throws: CapabilityError.self) { try invoke(a, b, "/stranger") }
        clock.advance(seconds: 3601)
        #expect(throws: CapabilityError.self) { try invoke(a, b, "/test") }
    }

    @Test func revokedAnchorsStopWorkingEverywhereTheRevocationIsKnown() throws {
        let user = Party("user", clock: clock)
        let a = Node("a", clock: clock)
        let b = Node("b", clock: clock)
        try b.context.addAnchors(CapabilityAnchors(roots: [user.did]))
        let grant = try user.context.grant(
            .delegate, subject: a.party.did, expiry: clock.inOneDay(), capabilities: ["/test"])
        try a.context.addAnchors(CapabilityAnchors(provide: [grant]))
        let consumed = try invoke(a, b, "/test")
        let revocation = try user.context.revoke(grant)
        try b.context.addAnchors(CapabilityAnchors(revoke: [revocation]))
        // Tokens already consumed for a message in flight stop authorising at once.
        #expect(throws: CapabilityError.self) {
            try b.context.require(
                consumed, anchor: b.party.did, subject: a.actor, audience: b.actor, capabilities: ["/test"])
        }
        b.context.discard(consumed)
        #expect(throws: CapabilityError.self) { try invoke(a, b, "/test") }
        try a.context.addAnchors(CapabilityAnchors(revoke: [revocation]))
        #expect(a.context.anchors.provide.isEmpty)
        #expect(
            throws: CapabilityError.notAuthorized(
                "only the issuer \(grant.issuer) can revoke this token, not \(a.party.did)")
        ) {
            try a.context.revoke(grant)
        }
    }

    @Test func oversizedTokenBlobsAreRefused() {
        let a = Party("a", clock: clock)
        let blob = [UInt8](repeating: 0x20, count: CapabilityContext.maximumTokenBytes + 1)
        #expect(throws: CapabilityError.tooBig(size: blob.count, limit: CapabilityContext.maximumTokenBytes)) {
            try a.context.consume(origin: a.did, tokens: blob)
        }
    }

    @Test func subsumedAnchorsAreMerged() throws {
        let user = Party("user", clock: clock)
        let a = Party("a", clock: clock)
        let narrow = try user.context.grant(
            .delegate, subject: a.did, expiry: clock.inOneHour(), capabilities: ["/dms/node"])
        let wide = try user.context.grant(.delegate, subject: a.did, expiry: clock.inOneDay(), capabilities: ["/dms"])
        try a.context.addAnchors(CapabilityAnchors(provide: [narrow]))
        try a.context.addAnchors(CapabilityAnchors(provide: [wide]))
        #expect(a.context.anchors.provide == [wide])
        try a.context.addAnchors(CapabilityAnchors(provide: [narrow]))
        #expect(a.context.anchors.provide == [wide])
    }

    @Test func contextsWithoutAKeyCannotIssue() throws {
        let context = CapabilityContext(name: "view", did: DID(publicKey: PrivateKey().publicKey))
        #expect(throws: CapabilityError.locked(context: "view")) {
            try context.grant(.delegate, subject: context.did, expiry: clock.inOneDay(), capabilities: ["/"])
        }
    }
}
