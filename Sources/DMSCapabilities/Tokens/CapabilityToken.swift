import DMSCore
import DMSCrypto

/// A DMS capability token (the Go DMS's `DMSToken`): `issuer` grants `subject` the `capabilities` (and
/// broadcast `topics`) for `action`, optionally only towards `audience`, until `expiry` (Unix ns), at most
/// `depth` links deep (0 = unlimited), chained on the delegation it derives from. Immutable; its Go-exact
/// JSON encodings are computed once, so signing data, hashing and re-serialising never re-encode.
public final class CapabilityToken: Sendable, Hashable, CustomStringConvertible {
    public let action: TokenAction
    public let issuer: DID
    public let subject: DID
    /// `DID.empty` when the token is not restricted to one receiver.
    public let audience: DID
    public let topics: [Capability]
    /// nil encodes as `null` (Go nil slice); kept apart from `[]` because the signature covers the bytes.
    public let capabilityList: [Capability]?
    /// nil encodes as `null`.
    public let nonce: [UInt8]?
    public let expiry: UInt64
    public let depth: UInt64
    public let chain: CapabilityToken?
    public let signature: [UInt8]

    /// Go JSON of the `DMSToken` without `sig`: the signed content.
    public let unsignedEncoding: [UInt8]
    /// Go JSON of the whole `DMSToken`, signature included.
    public let encoding: [UInt8]
    /// The key under which revocations of this token are recorded: issuer, subject and nonce.
    public let revocationKey: String
    /// SHA-256 of `encoding`: the token's identity in verification caches.
    let digest: ContentDigest

    public static let signaturePrefix = Array("dms:token:".utf8)

    public init(
        action: TokenAction, issuer: DID, subject: DID, audience: DID = .empty, topics: [Capability] = [],
        capabilities: [Capability]?, nonce: [UInt8]?, expiry: UInt64, depth: UInt64 = 0, chain: CapabilityToken? = nil,
        signature: [UInt8] = []
    ) {
        self.action = action
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.topics = topics
        self.capabilityList = capabilities
        self.nonce = nonce
        self.expiry = expiry
        self.depth = depth
        self.chain = chain
        self.signature = signature
        var unsigned: [UInt8] = []
        TokenEncoding.appendFields(
            action: action, issuer: issuer, subject: subject, audience: audience, topics: topics,
            capabilities: capabilities, nonce: nonce, expiry: expiry, depth: depth, chain: chain, to: &unsigned)
        var full = unsigned
        if !signature.isEmpty {
            full.removeLast()
            full.append(contentsOf: #","sig":"#.utf8)
            GoJSON.appendBase64(signature, to: &full)
            full.append(UInt8(ascii: "}"))
        }
        self.unsignedEncoding = unsigned
        self.encoding = full
        self.revocationKey = "\(issuer.uri)#\(subject.uri)#\(Base64.encode(nonce ?? []))"
        self.digest = ContentDigest(full)
    }

    public var capabilities: [Capability] { capabilityList ?? [] }

    /// `"dms:token:" ‖ unsigned JSON`: the bytes the issuer signs.
    public var signingData: [UInt8] { Self.signaturePrefix + unsignedEncoding }

    /// A copy carrying `signature`.
    public func signed(with signature: [UInt8]) -> CapabilityToken {
        CapabilityToken(
            action: action, issuer: issuer, subject: subject, audience: audience, topics: topics,
            capabilities: capabilityList, nonce: nonce, expiry: expiry, depth: depth, chain: chain,
            signature: signature)
    }

    public static func == (lhs: CapabilityToken, rhs: CapabilityToken) -> Bool { lhs.encoding == rhs.encoding }
    public func hash(into hasher: inout Hasher) { hasher.combine(encoding) }

    public var description: String { String(decoding: encoding, as: UTF8.self) }

    // MARK: - Predicates (the Go DMS semantics)

    /// The token or any link of its chain expires before `deadline`.
    public func expires(before deadline: UInt64) -> Bool {
        if deadline > expiry { return true }
        return chain?.expires(before: deadline) ?? false
    }

    /// When the token stops being usable: its own expiry or an earlier one of its chain.
    public var effectiveExpiry: UInt64 { min(expiry, chain?.effectiveExpiry ?? .max) }

    /// Some link of the chain was issued by `anchor`.
    public func isAnchored(in anchor: DID) -> Bool {
        issuer == anchor || (chain?.isAnchored(in: anchor) ?? false)
    }

    /// Position (0 = this token) of the first link issued by `anchor`.
    public func anchorDepth(_ anchor: DID) -> UInt64? {
        var link: CapabilityToken? = self
        var position: UInt64 = 0
        while let current = link {
            if current.issuer == anchor { return position }
            link = current.chain
            position += 1
        }
        return nil
    }

    /// This token, placed at `position` in a chain, and every link below it respect their depth limits.
    func allowsDepth(at position: UInt64) -> Bool {
        if depth > 0 && position > depth { return false }
        return chain?.allowsDepth(at: position + 1) ?? true
    }

    /// May `subject` invoke `capability` on `audience` with this token?
    public func allowsInvocation(subject: DID, audience: DID, capability: Capability) -> Bool {
        action == .invoke && self.subject == subject && (self.audience.isEmpty || self.audience == audience)
            && capabilities.anyImplies(capability)
    }

    /// May `subject` broadcast `capability` on `topic` with this token? Broadcast tokens never have an audience.
    public func allowsBroadcast(subject: DID, topic: Capability, capability: Capability) -> Bool {
        action == .broadcast && self.subject == subject && audience.isEmpty && topics.anyImplies(topic)
            && capabilities.anyImplies(capability)
    }

    /// May `issuer` derive a token for `audience`, `topics` and `capability` expiring at `expiry` from this one?
    func allowsDelegation(issuer: DID, audience: DID, topics: [Capability], expiry: UInt64, capability: Capability)
        -> Bool
    {
        delegationRefusal(issuer: issuer, audience: audience, topics: topics, expiry: expiry, capability: capability)
            == nil
    }

    /// `allowsDelegation` plus room in the depth limits for a new link of kind `action`: a delegation
    /// needs room for one more link after it, or it would be a dead end.
    public func allowsDelegation(
        of action: TokenAction, issuer: DID, audience: DID, topics: [Capability], expiry: UInt64,
        capability: Capability
    ) -> Bool {
        delegationRefusal(
            of: action, issuer: issuer, audience: audience, topics: topics, expiry: expiry, capability: capability)
            == nil
    }

    /// Why a new link of kind `action` may not be derived from this token, or nil when it may.
    public func delegationRefusal(
        of action: TokenAction, issuer: DID, audience: DID, topics: [Capability], expiry: UInt64,
        capability: Capability
    ) -> String? {
        guard allowsDepth(at: action == .delegate ? 2 : 1) else { return "its depth limit allows no further link" }
        return delegationRefusal(
            issuer: issuer, audience: audience, topics: topics, expiry: expiry, capability: capability)
    }

    private func delegationRefusal(
        issuer: DID, audience: DID, topics: [Capability], expiry: UInt64, capability: Capability
    ) -> String? {
        if action != .delegate { return "it is an \(action.rawValue) token, not a delegation" }
        if expires(before: expiry) {
            return "it expires at \(TimeSpec.format(nanoseconds: effectiveExpiry)), before the requested expiry"
        }
        if subject != issuer { return "it was delegated to \(subject), not to \(issuer)" }
        if !self.audience.isEmpty && self.audience != audience {
            return "it is restricted to audience \(self.audience)"
        }
        if let topic = topics.first(where: { !self.topics.anyImplies($0) }) {
            return "it does not cover topic \(topic)"
        }
        if !capabilities.anyImplies(capability) { return "it does not cover \(capability)" }
        return nil
    }

    /// Used as a require anchor: does this delegation admit `other` (anchored in our subject, within our
    /// capabilities, topics, audience, expiry and depth)?
    public func admits(_ other: CapabilityToken) -> Bool {
        guard action == .delegate, !expires(before: other.expiry), other.isAnchored(in: subject) else { return false }
        if depth > 0, let position = other.anchorDepth(subject), position > depth { return false }
        guard audience.isEmpty || audience == other.audience else { return false }
        return other.capabilities.allSatisfy { capabilities.anyImplies($0) }
            && other.topics.allSatisfy { topics.anyImplies($0) }
    }

    /// Same issuer, subject and audience, lasting at least as long, with every capability of `other`:
    /// `other` adds nothing once this token is held.
    public func subsumes(_ other: CapabilityToken) -> Bool {
        issuer == other.issuer && subject == other.subject && audience == other.audience && expiry >= other.expiry
            && other.capabilities.allSatisfy { capabilities.anyImplies($0) }
    }
}
