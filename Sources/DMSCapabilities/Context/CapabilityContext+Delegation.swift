import DMSCore
import DMSCrypto

extension CapabilityContext {
    /// Delegates `capabilities` to `subject` by chaining on every provide anchor that allows it (and/or
    /// self-signing, per `selfSign`). A nil `expiry` inherits each anchor's expiry; self-signed tokens
    /// need an explicit one.
    public func delegate(
        to subject: DID, audience: DID = .empty, topics: [Capability] = [], expiry: UInt64?, depth: UInt64 = 0,
        capabilities: [Capability], selfSign: SelfSignMode = .no
    ) throws(CapabilityError) -> [CapabilityToken] {
        guard !capabilities.isEmpty else { throw .notAuthorized("no capabilities to delegate") }
        var result: [CapabilityToken] = []
        var refusals: [String] = []
        if selfSign != .only {
            for anchor in provideTokens {
                let linkExpiry = expiry ?? anchor.effectiveExpiry
                var providing: [Capability] = []
                for capability in capabilities {
                    if let refusal = anchor.delegationRefusal(
                        of: .delegate, issuer: did, audience: audience, topics: topics, expiry: linkExpiry,
                        capability: capability)
                    {
                        refusals.append("the anchor from \(anchor.issuer) cannot: \(refusal)")
                    } else {
                        providing.append(capability)
                    }
                }
                guard !providing.isEmpty else { continue }
                result.append(
                    try chained(
                        on: anchor, .delegate, subject: subject, audience: audience, topics: topics,
                        expiry: linkExpiry, depth: depth, capabilities: providing))
            }
        }
        if selfSign == .no {
            guard !result.isEmpty else {
                let why = refusals.isEmpty ? "the context has no provide anchors" : refusals.joined(separator: "; ")
                throw .notAuthorized(
                    "context \(name) cannot delegate \(Self.list(capabilities))"
                        + (topics.isEmpty ? "" : " on topics \(Self.list(topics))") + " to \(subject): \(why)")
            }
            return result
        }
        guard let expiry else { throw .notAuthorized("a self-signed delegation needs an explicit expiry") }
        result.append(
            try grant(
                .delegate, subject: subject, audience: audience, topics: topics, expiry: expiry, depth: depth,
                capabilities: capabilities))
        return result
    }

    /// Invocation tokens for `subject` towards `audience`: chained on tokens delegated to us by `target`
    /// (such as reply delegations), on our provide anchors, and/or self-signed.
    /// Chained tokens expire at `expiry` or, when an anchor ends sooner, at the anchor's end as long as
    /// that is not before `earliestExpiry`.
    public func delegateInvocation(
        target: DID, subject: DID, audience: DID, expiry: UInt64, earliestExpiry: UInt64? = nil,
        capabilities: [Capability], selfSign: SelfSignMode
    ) throws(CapabilityError) -> [CapabilityToken] {
        guard !capabilities.isEmpty else { return [] }
        let aboutUs = consumedTokens(subject: did).filter { $0.isAnchored(in: target) }
        var result = try chainedInvocations(
            on: aboutUs, subject: subject, audience: audience, expiry: expiry, earliestExpiry: earliestExpiry ?? expiry,
            capabilities: capabilities)
        if selfSign != .only {
            result += try chainedInvocations(
                on: provideTokens, subject: subject, audience: audience, expiry: expiry,
                earliestExpiry: earliestExpiry ?? expiry, capabilities: capabilities)
        }
        if selfSign == .no {
            guard !result.isEmpty else { throw .notAuthorized("no anchor allows invoking \(Self.list(capabilities))") }
            return result
        }
        result.append(
            try grant(.invoke, subject: subject, audience: audience, expiry: expiry, capabilities: capabilities))
        return result
    }

    private func chainedInvocations(
        on parents: [CapabilityToken], subject: DID, audience: DID, expiry: UInt64, earliestExpiry: UInt64,
        capabilities: [Capability]
    ) throws(CapabilityError) -> [CapabilityToken] {
        var result: [CapabilityToken] = []
        for parent in parents {
            let linkExpiry = min(expiry, parent.effectiveExpiry)
            guard linkExpiry >= earliestExpiry else { continue }
            let providing = capabilities.filter {
                parent.allowsDelegation(
                    of: .invoke, issuer: did, audience: audience, topics: [], expiry: linkExpiry, capability: $0)
            }
            guard !providing.isEmpty else { continue }
            result.append(
                try chained(
                    on: parent, .invoke, subject: subject, audience: audience, topics: [], expiry: linkExpiry, depth: 0,
                    capabilities: providing))
        }
        return result
    }

    /// Broadcast tokens for `subject` on `topic`: chained on provide anchors and/or self-signed.
    public func delegateBroadcast(
        subject: DID, topic: Capability, expiry: UInt64, capabilities: [Capability], selfSign: SelfSignMode
    ) throws(CapabilityError) -> [CapabilityToken] {
        guard !capabilities.isEmpty else { return [] }
        var result: [CapabilityToken] = []
        if selfSign != .only {
            for anchor in provideTokens {
                let providing = capabilities.filter {
                    anchor.allowsDelegation(
                        of: .broadcast, issuer: did, audience: .empty, topics: [topic], expiry: expiry, capability: $0)
                }
                guard !providing.isEmpty else { continue }
                result.append(
                    try chained(
                        on: anchor, .broadcast, subject: subject, audience: .empty, topics: [topic], expiry: expiry,
                        depth: 0, capabilities: providing))
            }
        }
        if selfSign == .no {
            guard !result.isEmpty else {
                throw .notAuthorized("no anchor allows broadcasting \(Self.list(capabilities)) on \(topic)")
            }
            return result
        }
        result.append(
            try grant(.broadcast, subject: subject, topics: [topic], expiry: expiry, capabilities: capabilities))
        return result
    }

    /// The tokens a message from `subject` (an actor key) to `audience` carries: invocation tokens for
    /// `invoke`, plus a one-level delegation of `delegate` (the reply behavior) to the receiving `target`
    /// DID so it can answer without prior trust. Lists are cached and reused while they stay valid past
    /// `expiry`, so a stream of messages costs no token signatures and each token is verified once by
    /// the receiver; `selfSign: .no` fails unless a chain proves the authority.
    public func provide(
        target: DID, subject: DID, audience: DID, expiry: UInt64, invoke: [Capability], delegate: [Capability],
        selfSign: SelfSignMode = .also
    ) throws(CapabilityError) -> TokenList {
        try providedEncoding(
            target: target, subject: subject, audience: audience, expiry: expiry, invoke: invoke, delegate: delegate,
            selfSign: selfSign
        ).list
    }

    /// `provide`, with the token list's wire encoding.
    public func providedEncoding(
        target: DID, subject: DID, audience: DID, expiry: UInt64, invoke: [Capability], delegate: [Capability],
        selfSign: SelfSignMode = .also
    ) throws(CapabilityError) -> (list: TokenList, encoding: [UInt8]) {
        guard !invoke.isEmpty else { throw .notAuthorized("no capabilities to invoke") }
        let aboutUs = consumedTokens(subject: did).filter { $0.isAnchored(in: target) }
        // A digest of everything that determines the tokens: cheaper to look up than a structured key.
        var keyText = "\(generation.load(ordering: .relaxed))|\(target.uri)|\(subject.uri)|\(audience.uri)|"
        keyText += Self.list(invoke) + "|" + Self.list(delegate) + "|" + selfSign.rawValue
        for token in aboutUs { keyText += "|" + Base64Key.of(token) }
        let key = ContentDigest(Array(keyText.utf8))
        if let cached = issued[key], cached.validUntil >= expiry { return (cached.list, cached.encoding) }

        let lifetime = max(expiry, clock() + Self.issuedTokenLifetime)
        var tokens = try delegateInvocation(
            target: target, subject: subject, audience: audience, expiry: lifetime, earliestExpiry: expiry,
            capabilities: invoke, selfSign: selfSign)
        if !delegate.isEmpty {
            tokens += try self.delegate(
                to: target, audience: subject, expiry: lifetime, depth: 1, capabilities: delegate, selfSign: .only)
        }
        let list = TokenList(tokens)
        let entry = IssuedTokens(
            list: list, encoding: list.encoding, validUntil: tokens.map(\.effectiveExpiry).min() ?? expiry)
        issued.insert(entry, for: key)
        return (list, entry.encoding)
    }

    /// The tokens a broadcast from `subject` on `topic` carries.
    public func provideBroadcast(subject: DID, topic: Capability, expiry: UInt64, capabilities: [Capability])
        throws(CapabilityError) -> TokenList
    {
        guard !capabilities.isEmpty else { throw .notAuthorized("no capabilities to broadcast") }
        return TokenList(
            try delegateBroadcast(
                subject: subject, topic: topic, expiry: expiry, capabilities: capabilities, selfSign: .also))
    }

    static func list(_ capabilities: [Capability]) -> String {
        capabilities.map(\.path).joined(separator: ", ")
    }
}

/// A short stable key for a token in cache keys: its issuer and nonce.
enum Base64Key {
    static func of(_ token: CapabilityToken) -> String {
        token.issuer.uri + "#" + Base64.encode(token.nonce ?? [])
    }
}
