import DMSCapabilities
import DMSCore
import DMSCrypto
import Synchronization

/// An actor's security context: its own signing key (which names it), the capability context of the
/// identity it acts for (shared by all actors of a process), and its nonce counter. Signs and verifies
/// envelopes, attaches the capability tokens a message needs and checks the tokens a message brings.
public final class ActorSecurity: Sendable {
    public let key: PrivateKey
    public let publicKey: PublicKey
    /// The actor ID: the protobuf public key.
    public let id: [UInt8]
    /// did:key of the actor's own key: the subject of the tokens it presents, the audience of those it receives.
    public let keyDID: DID
    public let capabilities: CapabilityContext
    private let nonceCounter: Atomic<UInt64>

    public init(key: PrivateKey, capabilities: CapabilityContext) {
        self.key = key
        publicKey = key.publicKey
        id = publicKey.protobufBytes
        keyDID = DID(publicKey: publicKey)
        self.capabilities = capabilities
        nonceCounter = Atomic(UnixTime.nowNanoseconds())
    }

    /// The DID of the identity this actor acts for.
    public var did: DID { capabilities.did }

    /// A process-unique nonce (starts at the current time in ns, as the Go DMS does).
    public func nextNonce() -> UInt64 { nonceCounter.add(1, ordering: .relaxed).newValue }

    /// The behavior prefix of reply continuations; delegating the prefix once lets reply tokens be reused.
    public static let replyPrefix = "/dms/actor/replyto"

    /// Attaches the tokens `envelope` needs (invocation or broadcast tokens for its behavior, and the
    /// reply delegation when it asks for a reply), sets the nonce if unset, and signs it. Returns the
    /// wire bytes, so sending does not encode the envelope again.
    @discardableResult
    public func prepare(_ envelope: inout Envelope) throws(ActorError) -> [UInt8] {
        guard envelope.from.id == id else { throw .badSender("the envelope's sender is not this actor") }
        if envelope.nonce == 0 { envelope.nonce = nextNonce() }
        if envelope.options.traceParent == nil { envelope.options.traceParent = EnvelopeTraceContext.current() }
        do {
            if envelope.isBroadcast {
                envelope.capability = try capabilities.provideBroadcast(
                    subject: keyDID, topic: Capability(unchecked: envelope.options.topic),
                    expiry: envelope.options.expiry,
                    capabilities: [Capability(unchecked: envelope.behavior)]
                ).encoding
            } else if envelope.to.id != id {
                envelope.capability = try invocationTokens(for: envelope)
            }
        } catch {
            throw .notAuthorized("cannot provide tokens for \(envelope.behavior): \(error)")
        }
        return sign(&envelope)
    }

    private func invocationTokens(for envelope: Envelope) throws(CapabilityError) -> [UInt8] {
        let audience: DID
        do {
            audience = try envelope.to.keyDID()
        } catch {
            throw .malformedToken("the destination has no valid actor key: \(error)")
        }
        let delegate: [Capability] = envelope.options.replyTo.isEmpty ? [] : [Capability(unchecked: Self.replyPrefix)]
        // Replies first try the whole reply prefix through the caller's delegation (reusable across replies);
        // callers that delegated only the exact continuation (the Go DMS) get a token for exactly that.
        if envelope.behavior.hasPrefix(Self.replyPrefix + "/"),
            let wide = try? capabilities.providedEncoding(
                target: envelope.to.did, subject: keyDID, audience: audience, expiry: envelope.options.expiry,
                invoke: [Capability(unchecked: Self.replyPrefix)], delegate: delegate, selfSign: .no)
        {
            return wide.encoding
        }
        return try capabilities.providedEncoding(
            target: envelope.to.did, subject: keyDID, audience: audience, expiry: envelope.options.expiry,
            invoke: [Capability(unchecked: envelope.behavior)], delegate: delegate
        ).encoding
    }

    /// Signs `"dms:msg:"` + the envelope JSON with the actor key; returns the signed wire bytes.
    @discardableResult
    public func sign(_ envelope: inout Envelope) -> [UInt8] {
        envelope.signature = []
        var data = Envelope.signaturePrefix
        EnvelopeEncoding.append(envelope, signed: false, to: &data)
        envelope.signature = key.sign(data)
        // The unsigned trace context goes on the wire only: encode again (tracing is on) rather than splice.
        if envelope.options.traceParent != nil { return envelope.encoding }
        var wire = Array(data.dropFirst(Envelope.signaturePrefix.count).dropLast())
        wire.append(contentsOf: #","sig":"#.utf8)
        GoJSON.appendBase64(envelope.signature, to: &wire)
        wire.append(UInt8(ascii: "}"))
        return wire
    }

    /// Checks expiry and that the sender's actor key signed the envelope.
    public static func verify(_ envelope: Envelope, now: UInt64) throws(ActorError) {
        if envelope.isExpired(now: now) { throw .expired }
        guard let senderKey = try? envelope.from.publicKey() else {
            throw .badSender("the sender ID is not a valid key")
        }
        let valid: Bool
        do {
            valid = try senderKey.isValidSignature(envelope.signature, for: envelope.signingData)
        } catch {
            throw .badSender("\(error)")
        }
        guard valid else { throw .badSignature }
    }

    /// Checks the envelope's tokens grant `required` (for its topic when a broadcast). Returns the tokens
    /// consumed, to be discarded once the message is handled. Messages from this actor to itself pass.
    public func authorize(_ envelope: Envelope, required: [Capability], topic: String? = nil) throws(ActorError)
        -> [CapabilityToken]
    {
        if envelope.from.id == id && envelope.to.id == id { return [] }
        let subject: DID
        do {
            subject = try envelope.from.keyDID()
        } catch {
            throw .badSender("\(error)")
        }
        do throws(CapabilityError) {
            let tokens = try capabilities.consume(origin: envelope.from.did, tokens: envelope.capability)
            do throws(CapabilityError) {
                if let topic {
                    try capabilities.requireBroadcast(
                        tokens, anchor: did, subject: subject, topic: Capability(unchecked: topic),
                        capabilities: required)
                } else {
                    try capabilities.require(
                        tokens, anchor: did, subject: subject, audience: keyDID, capabilities: required)
                }
            } catch {
                capabilities.discard(tokens)
                // A revoked token is dropped when consumed; say so rather than "holds no token".
                throw capabilities.revocationRefusal(tokens: envelope.capability) ?? error
            }
            return tokens
        } catch {
            throw ActorError(error)
        }
    }
}
