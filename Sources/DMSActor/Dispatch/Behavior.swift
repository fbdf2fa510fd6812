import DMSCapabilities
import DMSCore
import Foundation

/// What a message must carry to run a behavior.
public enum BehaviorAuthorization: Sendable, Equatable {
    /// Tokens granting any of these capabilities (by default the behavior's own name).
    case capabilities([Capability])
    /// Only a valid signature; used for the collectors of replies to one's own broadcasts, which anyone
    /// may answer.
    case signatureOnly
}

/// How a behavior is registered.
public struct BehaviorOptions: Sendable {
    /// nil: the behavior's own name is the required capability.
    public var authorization: BehaviorAuthorization?
    /// Unix ns after which the behavior is gone; nil for never.
    public var expiry: UInt64?
    /// Removed after its first delivery (reply continuations).
    public var oneShot: Bool
    /// Set for broadcast behaviors: the topic their messages must arrive on.
    public var topic: String?
    /// When set, only messages from the actor with this ID are delivered (replies must come from the
    /// actor that was invoked).
    public var expectedSender: [UInt8]?
    /// Set for requests a person makes (the CLI's and the REST API's commands): with a tracer active, their
    /// handler's span starts a trace. Other messages are traced only when they arrive in one (`opt.traceparent`),
    /// so protocol traffic nobody asked to follow costs no spans.
    public var startsTrace: Bool

    public init(
        authorization: BehaviorAuthorization? = nil, expiry: UInt64? = nil, oneShot: Bool = false, topic: String? = nil,
        expectedSender: [UInt8]? = nil, startsTrace: Bool = false
    ) {
        self.authorization = authorization
        self.expiry = expiry
        self.oneShot = oneShot
        self.topic = topic
        self.expectedSender = expectedSender
        self.startsTrace = startsTrace
    }
}

/// A delivered, verified and authorised message, with the actor that received it.
public struct IncomingMessage: Sendable {
    public let envelope: Envelope
    public let actor: BasicActor

    /// The payload decoded as `T` from JSON; a malformed payload is a handler failure naming the type.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(envelope.message ?? []))
        } catch {
            throw ActorError.invalidRequest("payload is not a valid \(T.self): \(error)")
        }
    }
}

/// A behavior's code: returns the reply payload (JSON bytes) or nil for no reply. A thrown error becomes
/// an error reply when the sender asked for a reply.
public typealias BehaviorHandler = @Sendable (IncomingMessage) async throws -> [UInt8]?

struct Behavior: Sendable {
    let name: String
    let options: BehaviorOptions
    let handler: BehaviorHandler

    var required: [Capability] {
        if case .capabilities(let capabilities)? = options.authorization { return capabilities }
        return [Capability(unchecked: name)]
    }
}

/// JSON payload helpers for behaviors.
public enum Payload {
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(value))
    }
}
