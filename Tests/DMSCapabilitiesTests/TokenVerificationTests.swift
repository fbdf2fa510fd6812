import DMSCapabilities
import DMSCore
import DMSCrypto
import Testing

/// Chain verification rules: each refusal the reference lists, plus tampering anywhere.
@Suite struct TokenVerificationTests {
    let clock = TestClock()
    let root: Party
    let middle: Party
    let leaf: Party

    init() {
        root = Party("root", clock: clock)
        middle = Party("middle", clock: clock)
        leaf = Party("leaf", clock: clock)
    }

    /// root --delegate--> middle --delegate--> leaf --invoke--> subject, each link signed by its issuer.
    func chain(
        rootCaps: [Capability] = ["/dms"], rootTopics: [Capability] = ["/nunet"], rootDepth: UInt64 = 0,
        middleCaps: [Capability] = ["/dms/node"], leafCaps: [Capability] = ["/dms/node/peers"],
        middleExpiry: UInt64? = nil, leafExpiry: UInt64? = nil, audience: DID = .empty
    ) throws -> CapabilityToken {
        let first = try root.context.grant(
            .delegate, subject: middle.did, topics: rootTopics, expiry: clock.inOneDay(), depth: rootDepth,
            capabilities: rootCaps)
        let second = CapabilityToken(
            action: .delegate, issuer: middle.did, subject: leaf.did, topics: [], capabilities: middleCaps,
            nonce: [1, 2, 3], expiry: middleExpiry ?? clock.inOneHour(), chain: first)
        let signedSecond = second.signed(with: middle.key.sign(second.signingData))
        let third = CapabilityToken(
            action: .invoke, issuer: leaf.did, subject: Party.actorDID(), audience: audience, capabilities: leafCaps,
            nonce: [4, 5, 6], expiry: leafExpiry ?? clock.inOneHour() - 1, chain: signedSecond)
        return third.signed(with: leaf.key.sign(third.signingData))
    }

    func verify(_ token: CapabilityToken, revocations: RevocationSet = RevocationSet()) throws(CapabilityError) {
        try TokenVerifier().verify(token, now: clock.now, revocations: revocations)
    }

    @Test func aValidThreeLinkChainVerifies() throws {
        try verify(try chain())
    }

    @Test func widenedCapabilitiesAreRefused() throws {
        #expect(throws: CapabilityError.self) {
            try verify(try chain(middleCaps: ["/dms/node"], leafCaps: ["/dms/cap"]))
        }
        #expect(throws: CapabilityError.self) { try verify(try chain(rootCaps: ["/public"], middleCaps: ["/"])) }
    }

    @Test func widenedTopicsAreRefused() throws {
        let first = try root.context.grant(
            .delegate, subject: middle.did, topics: ["/nunet/hello"], expiry: clock.inOneDay(),
            capabilities: ["/broadcast"])
        let second = CapabilityToken(
            action: .broadcast, issuer: middle.did, subject: leaf.did, topics: ["/nunet"], capabilities: ["/broadcast"],
            nonce: [9], expiry: clock.inOneHour(), chain: first)
        let error = #expect(throws: CapabilityError.self) {
            try verify(second.signed(with: middle.key.sign(second.signingData)))
        }
        #expect(error?.description.contains("does not allow") == true)
    }

    @Test func extendingTheExpiryOfTheParentIsRefused() throws {
        #expect(throws: CapabilityError.expired) { try verify(try chain(middleExpiry: clock.inOneDay() + 1)) }
    }

    @Test func expiredTokensAndChainsAreRefused() throws {
        let token = try chain()
        try verify(token)
        clock.advance(seconds: 3601)
        #expect(throws: CapabilityError.expired) { try verify(token) }
    }

    @Test func exceedingTheDepthIsRefused() throws {
        try verify(try chain(rootDepth: 2))
        #expect(throws: CapabilityError.depthExceeded) { try verify(try chain(rootDepth: 1)) }
    }

    @Test func theAudienceBindsTheInvocation() throws {
        let receiver = Party.actorDID()
        let token = try chain(audience: receiver)
        try verify(token)
        #expect(token.allowsInvocation(subject: token.subject, audience: receiver, capability: "/dms/node/peers/list"))
        #expect(
            !token.allowsInvocation(
                subject: token.subject, audience: Party.actorDID(), capability: "/dms/node/peers/list"))
        #expect(
            !token.allowsInvocation(subject: Party.actorDID(), audience: receiver, capability: "/dms/node/peers/list"))
    }

    @Test func revokingAnyLinkRevokesTheChain() throws {
        let token = try chain()
        let rootLink = try #require(token.chain?.chain)
        let revocation = try root.context.revoke(rootLink)
        #expect(throws: CapabilityError.revoked) { try verify(token, revocations: RevocationSet([revocation])) }
        try verify(token, revocations: RevocationSet())
    }

    @Test func chainingOnANonDelegationOrAnotherSubjectIsRefused() throws {
        let invoke = try root.context.grant(
            .invoke, subject: middle.did, expiry: clock.inOneDay(), capabilities: ["/dms"])
        let onInvoke = CapabilityToken(
            action: .invoke, issuer: middle.did, subject: leaf.did, capabilities: ["/dms"], nonce: [1],
            expiry: clock.inOneHour(), chain: invoke)
        #expect(throws: CapabilityError.notAuthorized("a chain link is not a delegation")) {
            try verify(onInvoke.signed(with: middle.key.sign(onInvoke.signingData)))
        }
        let delegation = try root.context.grant(
            .delegate, subject: middle.did, expiry: clock.inOneDay(), capabilities: ["/dms"])
        let wrongIssuer = CapabilityToken(
            action: .invoke, issuer: leaf.did, subject: leaf.did, capabilities: ["/dms"], nonce: [1],
            expiry: clock.inOneHour(), chain: delegation)
        let error = #expect(throws: CapabilityError.self) {
            try verify(wrongIssuer.signed(with: leaf.key.sign(wrongIssuer.signingData)))
        }
        #expect(error?.description.contains("is not the subject") == true)
    }

    @Test func aSignatureByAnotherKeyIsRefused() throws {
        let token = try root.context.grant(
            .delegate, subject: middle.did, expiry: clock.inOneDay(), capabilities: ["/"])
        let forged = token.signed(with: middle.key.sign(token.signingData))
        #expect(throws: CapabilityError.badSignature(issuer: root.did.uri)) { try verify(forged) }
    }

    /// Property: flipping a bit anywhere in the wire form of a valid chain never yields a verifying token
    /// that differs from the original. (A flip inside the key of an empty member, such as `"aud":{}`,
    /// turns it into an ignored member that decodes to the same empty value: the same token, harmless.)
    @Test(arguments: [UInt8(0x01), 0x04, 0x20])
    func flippingAnyByteOfAChainBreaksIt(mask: UInt8) throws {
        let token = try chain()
        let wire = Array(TokenList([token]).json.utf8)
        let verifier = TokenVerifier(cacheCapacity: 64)
        var survivors: [Int] = []
        for index in wire.indices {
            var mutated = wire
            mutated[index] ^= mask
            guard let text = String(validating: mutated, as: UTF8.self),
                let list = try? TokenList(parsing: text)
            else { continue }
            for candidate in list.tokens
            where candidate != token && (try? verifier.verify(candidate, now: clock.now)) != nil {
                survivors.append(index)
            }
        }
        let contexts = survivors.map {
            String(decoding: wire[max(0, $0 - 12)..<min(wire.count, $0 + 12)], as: UTF8.self)
        }
        #expect(survivors.isEmpty, "mutations at \(survivors) still verify: \(contexts)")
    }

    @Test func theCacheAvoidsRepeatedSignatureChecks() throws {
        let token = try chain()
        let verifier = TokenVerifier()
        try verifier.verify(token, now: clock.now)
        #expect(verifier.statistics.signatureChecks == 3)
        for _ in 0..<10 { try verifier.verify(token, now: clock.now) }
        #expect(verifier.statistics.signatureChecks == 3)
        #expect(verifier.statistics.cacheHits == 10)
        clock.advance(seconds: 7200)
        #expect(throws: CapabilityError.expired) { try verifier.verify(token, now: clock.now) }
    }

    @Test func malformedTokensNameTheProblem() {
        let cases: [(String, String)] = [
            ("not json", "not valid JSON"),
            (#"{"tok":[{"dms":{"act":"steal"}}]}"#, "\"act\" must be one of"),
            (#"{"tok":[{"ucan":{}}]}"#, "BYO UCAN envelopes are not supported"),
            (#"{"tok":[{"dms":{"act":"invoke","iss":"did:key:x"}}]}"#, "\"iss\" must be a DID object"),
            (#"{"tok":[{"dms":{"act":"invoke","nonce":"%%%"}}]}"#, "\"nonce\" is not base64"),
            (#"{"tok":[{"dms":{"act":"invoke","exp":-1}}]}"#, "\"exp\" must be an unsigned integer"),
            (#"{"tok":5}"#, "\"tok\" must be a list"),
        ]
        for (text, reason) in cases {
            let error = #expect(throws: CapabilityError.self) { try TokenList(parsing: text) }
            #expect(error?.description.contains(reason) == true, "\(text): \(String(describing: error))")
        }
    }
}
