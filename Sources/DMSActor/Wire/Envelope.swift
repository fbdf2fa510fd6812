import DMSCrypto

/// Sender options carried by an envelope.
public struct EnvelopeOptions: Sendable, Hashable {
    /// Unix nanoseconds after which the message must not be processed.
    public var expiry: UInt64
    /// The behavior the receiver replies to (continuation); empty when no reply is wanted.
    public var replyTo: String
    /// The broadcast topic; empty for point-to-point messages.
    public var topic: String

    public init(expiry: UInt64, replyTo: String = "", topic: String = "") {
        self.expiry = expiry
        self.replyTo = replyTo
        self.topic = topic
    }
}

/// A message between actors, in the Go DMS wire format: `to, be, from, nonce, opt, msg, cap, sig`. The
/// sender's actor key signs `"dms:msg:"` + the Go JSON of the envelope without `sig`.
public struct Envelope: Sendable, Hashable {
    public var to: ActorHandle
    public var behavior: String
    public var from: ActorHandle
    public var nonce: UInt64
    public var options: EnvelopeOptions
    /// The JSON payload; nil encodes as `null`, empty as `""`.
    public var message: [UInt8]?
    /// The capability tokens (a token list's JSON); empty when none.
    public var capability: [UInt8]
    public var signature: [UInt8]

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

    /// Sent to a topic rather than an actor.
    public var isBroadcast: Bool { to.isEmpty && !options.topic.isEmpty }

    public func isExpired(now: UInt64) -> Bool { now > options.expiry }

    /// The bytes the sender signs.
    public var signingData: [UInt8] {
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
