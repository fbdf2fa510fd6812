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
    public func delegateInvocation(
        target: DID, subject: DID, audience: DID, expiry: UInt64, capabilities: [Capability], selfSign: SelfSignMode
    ) throws(CapabilityError) -> [CapabilityToken] {
        guard !capabilities.isEmpty else { return [] }
        let aboutUs = consumedTokens(subject: did)
        var result = try chainedInvocations(
            on: aboutUs, anchoredIn: { _ in target }, subject: subject, audience: audience, expiry: expiry,
            capabilities: capabilities)
        if selfSign != .only {
            result += try chainedInvocations(
                on: provideTokens, anchoredIn: { $0.issuer }, subject: subject, audience: audience, expiry: expiry,
                capabilities: capabilities)
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
        on parents: [CapabilityToken], anchoredIn anchor: (CapabilityToken) -> DID, subject: DID, audience: DID,
        expiry: UInt64, capabilities: [Capability]
    ) throws(CapabilityError) -> [CapabilityToken] {
        var result: [CapabilityToken] = []
        for parent in parents where parent.isAnchored(in: anchor(parent)) {
            let providing = capabilities.filter {
                parent.allowsDelegation(
                    of: .invoke, issuer: did, audience: audience, topics: [], expiry: expiry, capability: $0)
            }
            guard !providing.isEmpty else { continue }
            result.append(
                try chained(
                    on: parent, .invoke, subject: subject, audience: audience, topics: [], expiry: expiry, depth: 0,
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
    /// DID so it can answer without prior trust.
    public func provide(
        target: DID, subject: DID, audience: DID, expiry: UInt64, invoke: [Capability], delegate: [Capability]
    ) throws(CapabilityError) -> TokenList {
        guard !invoke.isEmpty else { throw .notAuthorized("no capabilities to invoke") }
        var tokens = try delegateInvocation(
            target: target, subject: subject, audience: audience, expiry: expiry, capabilities: invoke, selfSign: .also)
        if !delegate.isEmpty {
            tokens += try self.delegate(
                to: target, audience: subject, expiry: expiry, depth: 1, capabilities: delegate, selfSign: .only)
        }
        return TokenList(tokens)
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
