import DMSCore
import DMSCrypto
import Foundation
import Synchronization

/// One identity's capability state (the Go DMS `CapabilityContext`): its DID and signing key, its
/// anchors, and the tokens consumed from messages in flight. Shared by every actor of a process, so it
/// is a lock-protected class whose operations never suspend.
public final class CapabilityContext: Sendable {
    /// Messages may carry at most this many bytes of tokens.
    public static let maximumTokenBytes = 16_384

    public let name: String
    public let did: DID
    let signer: PrivateKey?
    let verifier: TokenVerifier
    let clock: @Sendable () -> UInt64

    struct State {
        var roots = Set<DID>()
        var require: [DID: [CapabilityToken]] = [:]
        var provide: [DID: [CapabilityToken]] = [:]
        var revocations = RevocationSet()
        /// Tokens consumed from messages, by subject; removed again when the message is done.
        var consumed: [DID: [CapabilityToken]] = [:]
    }

    let state = Mutex(State())
    /// Bumped whenever the anchors change, so cached issued tokens built on old anchors are not reused.
    let generation = Atomic<UInt64>(0)
    /// Token lists issued by `provide`, reused while they remain valid for the message at hand.
    let issued = BoundedCache<ContentDigest, IssuedTokens>(capacity: 4096)
    /// Token lists parsed from message blobs, so a blob seen again is not parsed again.
    let parsed = BoundedCache<ContentDigest, [CapabilityToken]>(capacity: 4096)

    /// How long issued invocation tokens live at least. Tokens are bound to the sender's actor key and
    /// the receiver, so a longer life only lets them be reused (and verified once) across messages.
    public static let issuedTokenLifetime: UInt64 = 600_000_000_000

    struct IssuedTokens: Sendable {
        let list: TokenList
        let encoding: [UInt8]
        let validUntil: UInt64
    }

    /// A context for `did`; without `signer` it can verify and anchor but not issue tokens.
    public init(
        name: String, did: DID, signer: PrivateKey? = nil, verifier: TokenVerifier = .shared,
        clock: @escaping @Sendable () -> UInt64 = UnixTime.nowNanoseconds
    ) {
        self.name = name
        self.did = did
        self.signer = signer
        self.verifier = verifier
        self.clock = clock
    }

    public var canSign: Bool { signer != nil }

    /// Signature checks done and avoided by this context's token verifier.
    public var verifierStatistics: (signatureChecks: Int, cacheHits: Int) { verifier.statistics }

    public var now: UInt64 { clock() }

    // MARK: - Anchors

    /// The current anchors, expired tokens left out.
    public var anchors: CapabilityAnchors {
        let now = clock()
        return state.withLock { state in
            CapabilityAnchors(
                roots: state.roots.sorted(),
                require: state.require.keys.sorted().flatMap { state.require[$0]! }.filter { !$0.expires(before: now) },
                provide: state.provide.keys.sorted().flatMap { state.provide[$0]! }.filter { !$0.expires(before: now) },
                revoke: state.revocations.all.filter { !$0.expires(before: now) })
        }
    }

    /// Adds anchors after verifying every token (revocations first, so new tokens are checked against
    /// them). All or nothing: on any error the context is unchanged. Tokens made invalid by new
    /// revocations are dropped.
    public func addAnchors(_ added: CapabilityAnchors) throws(CapabilityError) {
        let now = clock()
        var revocations = state.withLock { $0.revocations }
        for revocation in added.revoke {
            try checkRevocation(revocation, now: now)
            revocations.insert(revocation)
        }
        for token in added.require + added.provide {
            try verifier.verify(token, now: now, revocations: revocations)
        }
        for token in added.provide where token.subject != did {
            throw .notAuthorized(
                "a provide anchor must delegate to this context's DID \(did), but its subject is \(token.subject)")
        }
        defer { generation.add(1, ordering: .relaxed) }
        state.withLock { state in
            state.roots.formUnion(added.roots)
            state.revocations = revocations
            for token in added.require { Self.merge(token, into: &state.require) }
            for token in added.provide { Self.merge(token, into: &state.provide) }
            for issuer in Array(state.require.keys) {
                state.require[issuer]?.removeAll { !valid($0, now, revocations) }
            }
            for issuer in Array(state.provide.keys) {
                state.provide[issuer]?.removeAll { !valid($0, now, revocations) }
            }
        }
    }

    /// Checks that `revocation` may be anchored: a revoke token, unexpired, signed by its issuer. Its
    /// signature is all that makes it valid, because a revocation only matches tokens of the same issuer
    /// (the revocation key names issuer, subject and nonce), so nobody can revoke another's tokens.
    public func checkRevocation(_ revocation: CapabilityToken, now: UInt64? = nil) throws(CapabilityError) {
        guard revocation.action == .revoke else {
            throw .malformedToken("a revocation must be a revoke token, got \(revocation.action.rawValue)")
        }
        try verifier.verify(revocation, now: now ?? clock())
    }

    /// Whether this context already holds `revocation` (or another revoking the same token).
    public func knowsRevocation(_ revocation: CapabilityToken) -> Bool {
        state.withLock { $0.revocations.isRevoked(revocation) }
    }

    private func valid(_ token: CapabilityToken, _ now: UInt64, _ revocations: RevocationSet) -> Bool {
        (try? verifier.verify(token, now: now, revocations: revocations)) != nil
    }

    /// Keeps only tokens that add something: drops `token` when an existing one subsumes it, and drops
    /// existing ones it subsumes.
    private static func merge(_ token: CapabilityToken, into anchors: inout [DID: [CapabilityToken]]) {
        var list = anchors[token.issuer] ?? []
        if list.contains(where: { $0.subsumes(token) }) { return }
        list.removeAll { token.subsumes($0) }
        list.append(token)
        anchors[token.issuer] = list
    }

    /// Replaces every anchor with `anchors` (after verifying them, all or nothing): how a running node
    /// picks up changes made to its context file by `nunet cap`.
    public func replaceAnchors(with anchors: CapabilityAnchors) throws(CapabilityError) {
        let staging = CapabilityContext(name: name, did: did, verifier: verifier, clock: clock)
        try staging.addAnchors(anchors)
        let verified = staging.state.withLock { ($0.roots, $0.require, $0.provide, $0.revocations) }
        defer { generation.add(1, ordering: .relaxed) }
        state.withLock { state in
            (state.roots, state.require, state.provide, state.revocations) = verified
        }
    }

    /// Removes anchors; tokens are matched by issuer and nonce. Returns how many entries were removed.
    @discardableResult
    public func removeAnchors(_ removed: CapabilityAnchors) -> Int {
        defer { generation.add(1, ordering: .relaxed) }
        return state.withLock { state in
            var count = 0
            for root in removed.roots where state.roots.remove(root) != nil { count += 1 }
            func drop(_ tokens: [CapabilityToken], from anchors: inout [DID: [CapabilityToken]]) {
                for token in tokens {
                    let before = anchors[token.issuer]?.count ?? 0
                    anchors[token.issuer]?.removeAll { $0.issuer == token.issuer && $0.nonce == token.nonce }
                    count += before - (anchors[token.issuer]?.count ?? 0)
                    if anchors[token.issuer]?.isEmpty == true { anchors[token.issuer] = nil }
                }
            }
            drop(removed.require, from: &state.require)
            drop(removed.provide, from: &state.provide)
            for revocation in removed.revoke where state.revocations.remove(revocation) { count += 1 }
            return count
        }
    }

    // MARK: - Issuing

    func requireSigner() throws(CapabilityError) -> PrivateKey {
        guard let signer else { throw .locked(context: name) }
        return signer
    }

    func sign(_ token: CapabilityToken) throws(CapabilityError) -> CapabilityToken {
        token.signed(with: try requireSigner().sign(token.signingData))
    }

    static func nonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<12).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A root token signed by this context with no chain (`nunet cap grant`).
    public func grant(
        _ action: TokenAction, subject: DID, audience: DID = .empty, topics: [Capability] = [], expiry: UInt64,
        depth: UInt64 = 0, capabilities: [Capability]?
    ) throws(CapabilityError) -> CapabilityToken {
        try sign(
            CapabilityToken(
                action: action, issuer: did, subject: subject, audience: audience, topics: topics,
                capabilities: capabilities, nonce: Self.nonce(), expiry: expiry, depth: depth))
    }

    /// A token chained on `parent`, issued by this context.
    func chained(
        on parent: CapabilityToken, _ action: TokenAction, subject: DID, audience: DID, topics: [Capability],
        expiry: UInt64, depth: UInt64, capabilities: [Capability]
    ) throws(CapabilityError) -> CapabilityToken {
        try sign(
            CapabilityToken(
                action: action, issuer: did, subject: subject, audience: audience, topics: topics,
                capabilities: capabilities, nonce: Self.nonce(), expiry: expiry, depth: depth, chain: parent))
    }

    /// Revokes a token this context issued; the revocation takes effect here at once and is returned so
    /// it can be anchored elsewhere.
    public func revoke(_ token: CapabilityToken) throws(CapabilityError) -> CapabilityToken {
        guard token.issuer == did else {
            throw .notAuthorized("only the issuer \(token.issuer) can revoke this token, not \(did)")
        }
        let revocation = try sign(
            CapabilityToken(
                action: .revoke, issuer: did, subject: token.subject, capabilities: token.capabilityList,
                nonce: token.nonce, expiry: token.expiry))
        try addAnchors(CapabilityAnchors(revoke: [revocation]))
        return revocation
    }

    /// Every provide anchor that is still valid.
    var provideTokens: [CapabilityToken] { anchors.provide }
}

/// Wall-clock time in the Go DMS's unit, Unix nanoseconds.
public enum UnixTime {
    @Sendable public static func nowNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
