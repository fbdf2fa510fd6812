import DMSCore
import DMSCrypto

extension CapabilityContext {
    /// Takes in the tokens a message from `origin` carries. A token is kept only if it is anchored in our
    /// DID, in the origin, in a root, or admitted by a require anchor, and it verifies; others are
    /// ignored. Returns the kept tokens so they can be discarded when the message is handled.
    @discardableResult
    public func consume(origin: DID, tokens blob: [UInt8]) throws(CapabilityError) -> [CapabilityToken] {
        consume(origin: origin, tokens: try tokens(in: blob))
    }

    /// The tokens of a message's capability blob, parsed once per distinct blob (bounded cache).
    func tokens(in blob: [UInt8]) throws(CapabilityError) -> [CapabilityToken] {
        guard blob.count <= Self.maximumTokenBytes else {
            throw .tooBig(size: blob.count, limit: Self.maximumTokenBytes)
        }
        guard !blob.isEmpty else { return [] }
        let key = ContentDigest(blob)
        if let tokens = parsed[key] { return tokens }
        let list: TokenList
        do {
            list = try TokenList(json: try JSONParser.parse(blob))
        } catch let error as CapabilityError {
            throw error
        } catch {
            throw .malformedToken("\(error)")
        }
        parsed.insert(list.tokens, for: key)
        return list.tokens
    }

    @discardableResult
    public func consume(origin: DID, tokens: [CapabilityToken]) -> [CapabilityToken] {
        let now = clock()
        let (roots, requireAnchors, revocations) = state.withLock {
            ($0.roots, $0.require.values.flatMap { $0 }, $0.revocations)
        }
        let kept = tokens.filter { token in
            let anchored =
                token.isAnchored(in: did) || token.isAnchored(in: origin)
                || roots.contains(where: token.isAnchored(in:))
                || requireAnchors.contains { $0.admits(token) }
            return anchored && (try? verifier.verify(token, now: now, revocations: revocations)) != nil
        }
        state.withLock { state in
            for token in kept { state.consumed[token.subject, default: []].append(token) }
        }
        return kept
    }

    /// Drops tokens consumed for a message that has been handled (matched by issuer and nonce).
    public func discard(_ tokens: [CapabilityToken]) {
        guard !tokens.isEmpty else { return }
        state.withLock { state in
            for token in tokens {
                guard var list = state.consumed[token.subject] else { continue }
                if let index = list.firstIndex(where: { $0.issuer == token.issuer && $0.nonce == token.nonce }) {
                    list.remove(at: index)
                }
                state.consumed[token.subject] = list.isEmpty ? nil : list
            }
        }
    }

    func consumedTokens(subject: DID) -> [CapabilityToken] {
        let now = clock()
        return state.withLock { $0.consumed[subject] ?? [] }.filter { !$0.expires(before: now) }
    }

    /// Succeeds when one of `tokens` (those consumed from the message being handled) lets `subject`
    /// invoke one of `capabilities` on `audience` and is anchored in `anchor` (our DID), a root, or a
    /// require anchor that admits it.
    public func require(
        _ tokens: [CapabilityToken], anchor: DID, subject: DID, audience: DID, capabilities: [Capability]
    ) throws(CapabilityError) {
        try authorize(tokens, anchor: anchor, subject: subject, capabilities: capabilities) { token, capability in
            token.allowsInvocation(subject: subject, audience: audience, capability: capability)
        }
    }

    /// As `require`, for a broadcast on `topic`.
    public func requireBroadcast(
        _ tokens: [CapabilityToken], anchor: DID, subject: DID, topic: Capability, capabilities: [Capability]
    ) throws(CapabilityError) {
        try authorize(tokens, anchor: anchor, subject: subject, capabilities: capabilities) { token, capability in
            token.allowsBroadcast(subject: subject, topic: topic, capability: capability)
        }
    }

    private func authorize(
        _ tokens: [CapabilityToken], anchor: DID, subject: DID, capabilities: [Capability],
        allows: (CapabilityToken, Capability) -> Bool
    ) throws(CapabilityError) {
        guard !capabilities.isEmpty else { throw .notAuthorized("no capability is required") }
        let now = clock()
        let (roots, requireAnchors, revocations) = state.withLock { state in
            (state.roots, state.require.values.flatMap { $0 }.filter { !$0.expires(before: now) }, state.revocations)
        }
        for token in tokens where token.subject == subject && capabilities.contains(where: { allows(token, $0) }) {
            let trusted =
                token.isAnchored(in: anchor) || roots.contains(where: token.isAnchored(in:))
                || requireAnchors.contains { $0.admits(token) }
            // Checked again (signatures come from the cache) so a revocation or expiry since the token
            // arrived takes effect.
            if trusted && (try? verifier.verify(token, now: now, revocations: revocations)) != nil { return }
        }
        throw .notAuthorized("\(subject) holds no token for \(Self.list(capabilities)) anchored in a trusted DID")
    }

    /// Why a message's tokens were of no use when one of them (or a link of its chain) is revoked here:
    /// consuming drops revoked tokens, so without this a refusal would not say that a revocation was the
    /// reason. nil when no token of the blob is revoked.
    public func revocationRefusal(tokens blob: [UInt8]) -> CapabilityError? {
        guard let tokens = try? tokens(in: blob) else { return nil }
        let revocations = state.withLock { $0.revocations }
        for token in tokens {
            var link: CapabilityToken? = token
            while let current = link {
                if revocations.isRevoked(current) {
                    return .notAuthorized(
                        "the token from \(current.issuer) to \(current.subject) has been revoked by its issuer"
                            + (current === token ? "" : " (a link of the chain of the token presented)"))
                }
                link = current.chain
            }
        }
        return nil
    }
}
