import DMSCrypto
import Synchronization

/// Verifies tokens and whole chains with the Go DMS rules: every link unexpired and not outliving its
/// parent, within its depth, not revoked, chained only on delegations whose subject is the next issuer
/// and which allow every capability, topic and the audience, and every signature valid for its issuer's
/// did:key. Signature results are cached by token hash (bounded), so a process checks each token's
/// signature once while it stays cached.
public final class TokenVerifier: Sendable {
    /// The verifier shared by everything in the process.
    public static let shared = TokenVerifier()

    /// Hashes of tokens whose signatures (and their chains') verified.
    private let cache: BoundedCache<ContentDigest, Bool>
    private let signatureChecks = Atomic<Int>(0)
    private let cacheHits = Atomic<Int>(0)

    public init(cacheCapacity: Int = 16_384) { cache = BoundedCache(capacity: cacheCapacity) }

    /// Signature verifications performed and avoided through the cache so far.
    public var statistics: (signatureChecks: Int, cacheHits: Int) {
        (signatureChecks.load(ordering: .relaxed), cacheHits.load(ordering: .relaxed))
    }

    public func verify(_ token: CapabilityToken, now: UInt64, revocations: RevocationSet = RevocationSet())
        throws(CapabilityError)
    {
        try verifyRules(token, now: now, position: 0, revocations: revocations)
        let key = token.digest
        if cache[key] != nil {
            cacheHits.add(1, ordering: .relaxed)
            return
        }
        try verifySignatures(token)
        cache.insert(true, for: key)
    }

    /// Everything but signatures: cheap, and re-checked on every use because it depends on time and
    /// on the revocations known.
    private func verifyRules(_ token: CapabilityToken, now: UInt64, position: UInt64, revocations: RevocationSet)
        throws(CapabilityError)
    {
        if token.expires(before: now) { throw .expired }
        if token.action == .revoke { return }
        if token.depth > 0 && position > token.depth { throw .depthExceeded }
        if revocations.isRevoked(token) { throw .revoked }
        guard let chain = token.chain else { return }
        guard chain.action == .delegate else { throw .notAuthorized("a chain link is not a delegation") }
        if chain.expires(before: token.expiry) { throw .expired }
        try verifyRules(chain, now: now, position: position + 1, revocations: revocations)
        guard token.issuer == chain.subject else {
            throw .notAuthorized("issuer \(token.issuer) is not the subject of the delegation it chains on")
        }
        for capability in token.capabilities
        where !chain.allowsDelegation(
            issuer: token.issuer, audience: token.audience, topics: token.topics, expiry: token.expiry,
            capability: capability)
        {
            throw .notAuthorized("the chain does not allow \(capability) for this audience and these topics")
        }
    }

    /// Checks the signatures of `token` and its chain, using the cache for links seen before.
    private func verifySignatures(_ token: CapabilityToken) throws(CapabilityError) {
        if let chain = token.chain {
            let chainKey = chain.digest
            if cache[chainKey] != nil {
                cacheHits.add(1, ordering: .relaxed)
            } else {
                try verifySignatures(chain)
                cache.insert(true, for: chainKey)
            }
        }
        let key: PublicKey
        do {
            key = try token.issuer.publicKey()
        } catch {
            throw .untrustedIssuer("\(error)")
        }
        signatureChecks.add(1, ordering: .relaxed)
        let valid: Bool
        do {
            valid = try key.isValidSignature(token.signature, for: token.signingData)
        } catch {
            throw .crypto(error)
        }
        guard valid else { throw .badSignature(issuer: token.issuer.uri) }
    }
}
