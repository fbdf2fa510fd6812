import DMSCrypto

/// Sender options carried by an envelope.
public struct EnvelopeOptions: Sendable, Hashable {
    /// Unix nanoseconds after which the message must not be processed.
    public var expiry: UInt64
    /// The behavior the receiver replies to (continuation); empty when no reply is wanted.
    public var replyTo: String
    /// The broadcast topic; empty for point-to-point messages.
    public var topic: String
    /// The W3C `traceparent` of the sender's span (`opt.traceparent`), so a deployment is one trace across
    /// nodes. It is not signed: the Go DMS verifies the signature over its own re-encoding of the envelope,
    /// which drops members it does not know, so a signed trace context would fail there. It steers nothing
    /// but telemetry.
    public var traceParent: String?

    public init(expiry: UInt64, replyTo: String = "", topic: String = "", traceParent: String? = nil) {
        self.expiry = expiry
        self.replyTo = replyTo
        self.topic = topic
        self.traceParent = traceParent
    }
}

/// A message between actors, in the Go DMS wire format: `to, be, from, nonce, opt, msg, cap, sig`. The
/// sender's actor key signs `"dms:msg:"` + the Go JSON of the envelope without `sig`.
public struct Envelope: Sendable, Hashable {
    public var to: ActorHandle { didSet { received = nil } }
    public var behavior: String { didSet { received = nil } }
    public var from: ActorHandle { didSet { received = nil } }
    public var nonce: UInt64 { didSet { received = nil } }
    public var options: EnvelopeOptions { didSet { received = nil } }
    /// The JSON payload; nil encodes as `null`, empty as `""`.
    public var message: [UInt8]? { didSet { received = nil } }
    /// The capability tokens (a token list's JSON); empty when none.
    public var capability: [UInt8] { didSet { received = nil } }
    public var signature: [UInt8]
    /// The envelope's bytes as received, without the `sig` member: exactly what the sender signed when it
    /// encoded canonically, so verification needs no re-encoding. Cleared by any change.
    var received: [UInt8]?

    public static let signaturePrefix = Array("dms:msg:".utf8)
    /// The Go DMS default lifetime of a message.
    public static let defaultLifetimeNanoseconds: UInt64 = 30_000_000_000

    public init(
        to: ActorHandle, behavior: String, from: ActorHandle, nonce: UInt64 = 0, options: EnvelopeOptions,
        message: [UInt8]? = [], capability: [UInt8] = [], signature: [UInt8] = []
    ) {
        self.to = to
        self.behavior = behavior
        self.from = from
        self.nonce = nonce
        self.options = options
        self.message = message
        self.capability = capability
        self.signature = signature
    }

    public static func == (lhs: Envelope, rhs: Envelope) -> Bool {
        lhs.to == rhs.to && lhs.behavior == rhs.behavior && lhs.from == rhs.from && lhs.nonce == rhs.nonce
            && lhs.options == rhs.options && lhs.message == rhs.message && lhs.capability == rhs.capability
            && lhs.signature == rhs.signature
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(to)
        hasher.combine(behavior)
        hasher.combine(from)
        hasher.combine(nonce)
        hasher.combine(signature)
    }

    /// Sent to a topic rather than an actor.
    public var isBroadcast: Bool { to.isEmpty && !options.topic.isEmpty }

    public func isExpired(now: UInt64) -> Bool { now > options.expiry }

    /// The bytes the sender signs.
    public var signingData: [UInt8] {
        if let received { return Self.signaturePrefix + received }
        var output = Self.signaturePrefix
        EnvelopeEncoding.append(self, signed: false, to: &output)
        return output
    }

    /// The Go JSON of the whole envelope.
    public var encoding: [UInt8] {
        var output: [UInt8] = []
        EnvelopeEncoding.append(self, signed: true, to: &output)
        return output
    }

    public var json: String { String(decoding: encoding, as: UTF8.self) }
}
