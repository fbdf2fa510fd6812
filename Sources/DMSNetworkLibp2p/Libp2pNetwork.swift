import DMSNetwork
import Libp2p
import Libp2pCrypto
import Logging
import Synchronization

/// The actor layer's `Network` over libp2p: messages travel as the Go DMS frames them, each on its own
/// stream. Topic broadcast reaches this host's own subscribers only until gossipsub joins the host.
public final class Libp2pNetwork: Network {
    public let host: Libp2pHost
    public var hostID: String { host.peerID.description }
    /// How long a receiver waits for a message's bytes.
    let readTimeout: Duration
    private let logger: Logger
    private let local = Mutex(Local())

    struct Local {
        var inboxes: [String: MessageHandler] = [:]
        var topics: [String: (validator: TopicValidator, handler: MessageHandler)] = [:]
    }

    public init(host: Libp2pHost, readTimeout: Duration = .seconds(30), logger: Logger = Logger(label: "nunet.network"))
    {
        self.host = host
        self.readTimeout = readTimeout
        self.logger = logger
    }

    public func send(_ payload: [UInt8], to destination: String, inbox: String, deadline: ContinuousClock.Instant?)
        async throws(NetworkError)
    {
        try checkOutgoing(payload, deadline: deadline)
        if destination == hostID {
            // A message to oneself goes straight to the local handler, as in the Go DMS.
            guard let handler = local.withLock({ $0.inboxes[inbox] }) else {
                throw .noHandler(host: destination, inbox: inbox)
            }
            let sender = hostID
            Task { await handler(payload, sender) }
            return
        }
        guard let peer = try? PeerID(destination) else { throw .unknownHost(destination) }
        let host = self.host
        do {
            try await withDeadline(deadline) {
                let stream = try await host.newStream(
                    to: peer, protocols: [DMSMessageProtocol.protocolID(inbox: inbox)])
                try await stream.write(DMSMessageProtocol.frame(payload))
                stream.closeWrite()
                // The receiver closes once it has read the message.
                _ = try? await stream.readAll(limit: 0)
            }
        } catch let error as NetworkError {
            throw error
        } catch Libp2pError.noAddresses {
            throw .unknownHost(destination)
        } catch Libp2pError.protocolNotSupported {
            throw .noHandler(host: destination, inbox: inbox)
        } catch {
            throw .transport("\(error)")
        }
    }

    public func register(inbox: String, handler: @escaping MessageHandler) throws(NetworkError) {
        try local.withLock { (local: inout Local) throws(NetworkError) in
            guard local.inboxes[inbox] == nil else { throw .inboxInUse(inbox) }
            local.inboxes[inbox] = handler
        }
        let readTimeout = self.readTimeout
        let logger = self.logger
        host.handle(DMSMessageProtocol.protocolID(inbox: inbox)) { stream in
            do {
                let payload = try await withDeadline(.now + readTimeout) {
                    let prefix = try await stream.read(exactly: DMSMessageProtocol.prefixLength)
                    let length = DMSMessageProtocol.length(prefix)
                    guard length <= UInt64(maximumMessageBytes - DMSMessageProtocol.prefixLength) else {
                        throw NetworkError.tooLarge(size: Int(clamping: length), limit: maximumMessageBytes)
                    }
                    return try await stream.read(exactly: Int(length))
                }
                stream.closeWrite()
                await handler(payload, stream.remotePeer.description)
            } catch {
                logger.debug("dropped a message", metadata: ["peer": "\(stream.remotePeer)", "error": "\(error)"])
                stream.reset()
            }
        }
    }

    public func unregister(inbox: String) {
        local.withLock { _ = $0.inboxes.removeValue(forKey: inbox) }
        host.removeHandler(DMSMessageProtocol.protocolID(inbox: inbox))
    }

    public func publish(_ payload: [UInt8], topic: String) async throws(NetworkError) {
        guard payload.count <= maximumMessageBytes else {
            throw .tooLarge(size: payload.count, limit: maximumMessageBytes)
        }
        guard let subscription = local.withLock({ $0.topics[topic] }) else { return }
        let sender = hostID
        guard subscription.validator(payload, sender) == .accept else { return }
        Task { await subscription.handler(payload, sender) }
    }

    public func subscribe(topic: String, validator: @escaping TopicValidator, handler: @escaping MessageHandler)
        throws(NetworkError)
    {
        try local.withLock { (local: inout Local) throws(NetworkError) in
            guard local.topics[topic] == nil else { throw .alreadySubscribed(topic) }
            local.topics[topic] = (validator, handler)
        }
    }

    public func unsubscribe(topic: String) { local.withLock { _ = $0.topics.removeValue(forKey: topic) } }
}

/// Runs `body`, failing with `NetworkError.deadlineExceeded` if `deadline` passes first.
func withDeadline<T: Sendable>(
    _ deadline: ContinuousClock.Instant?, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    guard let deadline else { return try await body() }
    return try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(until: deadline, clock: .continuous)
            throw NetworkError.deadlineExceeded
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
