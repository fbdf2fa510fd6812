import DMSNetwork
import Libp2p
import Libp2pCrypto
import Logging
import Synchronization

/// The actor layer's `Network` over libp2p: messages travel as the Go DMS frames them, each on its own
/// stream; topic broadcasts travel over GossipSub v1.1, where each topic's validator (the actor layer's
/// broadcast checks) decides what is delivered and forwarded.
public final class Libp2pNetwork: Network {
    public let host: Libp2pHost
    /// The host's pubsub router: started with the network, so peers that connect find it.
    public let pubsub: Gossipsub
    /// Finds peers this host has no address for (the Go DMS resolves them through its DHT too).
    public let dht: KademliaDHT?
    public var hostID: String { host.peerID.description }
    /// How long a receiver waits for a message's bytes.
    let readTimeout: Duration
    private let logger: Logger
    private let local = Mutex(Local())

    struct Local {
        var inboxes: [String: MessageHandler] = [:]
        /// The task handing each joined topic's messages to its handler.
        var topics: [String: Task<Void, Never>] = [:]
        var closed = false
    }

    public init(
        host: Libp2pHost, pubsub configuration: Gossipsub.Configuration = Gossipsub.Configuration(),
        dht: KademliaDHT? = nil, readTimeout: Duration = .seconds(30), logger: Logger = Logger(label: "nunet.network")
    ) {
        self.host = host
        self.dht = dht
        self.readTimeout = readTimeout
        self.logger = logger
        pubsub = Gossipsub(host: host, configuration: configuration, logger: logger)
        pubsub.start()
    }

    /// Leaves every topic and stops the pubsub router (the host is closed by its owner).
    public func close() {
        let tasks = local.withLock { local in
            local.closed = true
            defer { local.topics = [:] }
            return Array(local.topics.values)
        }
        for task in tasks { task.cancel() }
        pubsub.stop()
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
        let dht = self.dht
        let protocols = [DMSMessageProtocol.protocolID(inbox: inbox)]
        do {
            try await withDeadline(deadline) {
                // A peer met through the DHT or gossip but never dialled has its addresses looked up.
                let connection =
                    if let dht { try await dht.connection(to: peer) } else { try await host.connection(to: peer) }
                let stream = try await host.newStream(on: connection, protocols: protocols)
                try await stream.write(DMSMessageProtocol.frame(payload))
                stream.closeWrite()
                // The receiver closes once it has read the message. The stream's protocol is agreed
                // optimistically, so a missing inbox shows up here, as a refusal.
                do {
                    _ = try await stream.readAll(limit: 0)
                } catch Libp2pError.protocolNotSupported(let refused) {
                    throw Libp2pError.protocolNotSupported(refused)
                } catch {}
            }
        } catch let error as NetworkError {
            throw error
        } catch Libp2pError.noAddresses {
            throw .unknownHost(destination)
        } catch KademliaError.notFound {
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
        do {
            try await pubsub.publish(topic, payload)
        } catch {
            switch error {
            case .messageTooLarge(let size, let limit): throw .tooLarge(size: size, limit: limit)
            case .stopped: throw .closed
            case .validationRejected: throw .transport("the message was refused by the \(topic) validator")
            case .validationIgnored:
                throw .transport("the message was not published: the \(topic) validator ignored it")
            case .alreadyJoined: throw .transport("\(error)")
            }
        }
    }

    /// Joins `topic` on the pubsub router: `validator` sees every message, ours included, before it is
    /// delivered or forwarded; accepted ones reach `handler` with their author's peer ID.
    public func subscribe(topic: String, validator: @escaping TopicValidator, handler: @escaping MessageHandler)
        throws(NetworkError)
    {
        try local.withLock { (local: inout Local) throws(NetworkError) in
            guard !local.closed else { throw .closed }
            guard local.topics[topic] == nil else { throw .alreadySubscribed(topic) }
            let messages: AsyncStream<GossipsubMessage>
            do throws(GossipsubError) {
                messages = try pubsub.join(topic) { message in
                    switch validator(message.data, message.from.description) {
                    case .accept: .accept
                    case .ignore: .ignore
                    case .reject: .reject
                    }
                }
            } catch {
                throw error == .stopped ? .closed : .alreadySubscribed(topic)
            }
            local.topics[topic] = Task {
                for await message in messages {
                    let author = message.from.description
                    // Each message is handled on its own, so a slow behavior never holds up the topic.
                    Task { await handler(message.data, author) }
                }
            }
        }
    }

    public func unsubscribe(topic: String) {
        guard let task = local.withLock({ $0.topics.removeValue(forKey: topic) }) else { return }
        task.cancel()
        pubsub.leave(topic)
    }
}

/// Runs `body`, failing with `NetworkError.deadlineExceeded` if `deadline` passes first.
func withDeadline<T: Sendable>(
    _ deadline: ContinuousClock.Instant?, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    guard let deadline else { return try await body() }
    return try await Libp2p.withDeadline(deadline, timeout: NetworkError.deadlineExceeded, body)
}
