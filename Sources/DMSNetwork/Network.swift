/// How actors reach each other: point-to-point messages to an inbox on a host, and topic broadcast.
/// Hosts are named by their peer ID text. Implementations: the in-memory network (many nodes in one
/// process, for tests and benchmarks) and, with the libp2p stack, real peers. The actor layer depends
/// only on this protocol.
public protocol Network: Sendable {
    /// This host's peer ID.
    var hostID: String { get }

    /// Delivers `payload` to `inbox` on `host`. Throws when the host is unknown or unreachable, the inbox
    /// has no handler there, or the deadline passes.
    func send(_ payload: [UInt8], to host: String, inbox: String, deadline: ContinuousClock.Instant?)
        async throws(NetworkError)

    /// Routes messages for `inbox` on this host to `handler` (payload and the sending host's peer ID).
    func register(inbox: String, handler: @escaping MessageHandler) throws(NetworkError)

    func unregister(inbox: String)

    /// Publishes `payload` to every subscriber of `topic`, this host's included.
    func publish(_ payload: [UInt8], topic: String) async throws(NetworkError)

    /// Receives `topic`: `validator` runs first and decides whether the message is delivered (and, on a
    /// gossip network, forwarded); accepted messages go to `handler`.
    func subscribe(topic: String, validator: @escaping TopicValidator, handler: @escaping MessageHandler)
        throws(NetworkError)

    func unsubscribe(topic: String)
}

public typealias MessageHandler = @Sendable (_ payload: [UInt8], _ sender: String) async -> Void
public typealias TopicValidator = @Sendable (_ payload: [UInt8], _ sender: String) -> ValidationResult

/// A topic validator's verdict, as gossipsub defines it.
public enum ValidationResult: Sendable, Equatable {
    /// Deliver and forward.
    case accept
    /// Drop; not the sender's fault (expired, rate limited).
    case ignore
    /// Drop and penalise the sender (malformed, bad signature).
    case reject
}

public enum NetworkError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownHost(String)
    case noHandler(host: String, inbox: String)
    case inboxInUse(String)
    case alreadySubscribed(String)
    case deadlineExceeded
    case tooLarge(size: Int, limit: Int)
    case closed
    case transport(String)

    public var description: String {
        switch self {
        case .unknownHost(let host): return "host \(host) is not reachable"
        case .noHandler(let host, let inbox): return "no inbox \(inbox) on host \(host)"
        case .inboxInUse(let inbox): return "inbox \(inbox) already has a handler"
        case .alreadySubscribed(let topic): return "already subscribed to \(topic)"
        case .deadlineExceeded: return "the message deadline passed before delivery"
        case .tooLarge(let size, let limit): return "message of \(size) bytes exceeds the \(limit)-byte limit"
        case .closed: return "the network is shut down"
        case .transport(let reason): return reason
        }
    }
}

/// The largest actor message the DMS protocol carries (1 MiB), on every transport.
public let maximumMessageBytes = 1 << 20

/// The checks every transport makes before sending: the size limit and the deadline.
public func checkOutgoing(_ payload: [UInt8], deadline: ContinuousClock.Instant?) throws(NetworkError) {
    guard payload.count <= maximumMessageBytes else { throw .tooLarge(size: payload.count, limit: maximumMessageBytes) }
    if let deadline, deadline < .now { throw .deadlineExceeded }
}
