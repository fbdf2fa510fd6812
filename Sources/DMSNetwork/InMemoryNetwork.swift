import Synchronization

/// Connects any number of in-memory hosts in one process, so several nodes can exchange real,
/// serialised messages in tests and benchmarks without sockets.
public final class InMemoryNetworkHub: Sendable {
    /// Hosts are held weakly: a host lives as long as its owner keeps it, and keeps its hub alive.
    private struct WeakHost { weak var network: InMemoryNetwork? }
    private let hosts = Mutex<[String: WeakHost]>([:])

    public init() {}

    /// A new host on this hub.
    public func host(_ hostID: String) -> InMemoryNetwork {
        let network = InMemoryNetwork(hostID: hostID, hub: self)
        hosts.withLock { $0[hostID] = WeakHost(network: network) }
        return network
    }

    func network(for hostID: String) -> InMemoryNetwork? { hosts.withLock { $0[hostID]?.network } }

    var all: [InMemoryNetwork] { hosts.withLock { $0.values.compactMap(\.network) } }

    /// Takes a host off the hub, as if it crashed or disconnected.
    public func remove(_ hostID: String) { _ = hosts.withLock { $0.removeValue(forKey: hostID) } }
}

/// One host of an `InMemoryNetworkHub`. Messages are copied byte arrays delivered on new tasks, so
/// ordering and concurrency resemble a real transport.
public final class InMemoryNetwork: Network {
    public let hostID: String
    private let hub: InMemoryNetworkHub?

    private struct Subscription {
        let validator: TopicValidator
        let handler: MessageHandler
    }

    private struct State {
        var inboxes: [String: MessageHandler] = [:]
        var topics: [String: Subscription] = [:]
    }

    private let state = Mutex(State())

    init(hostID: String, hub: InMemoryNetworkHub) {
        self.hostID = hostID
        self.hub = hub
    }

    public func send(_ payload: [UInt8], to host: String, inbox: String, deadline: ContinuousClock.Instant?)
        async throws(NetworkError)
    {
        try checkOutgoing(payload, deadline: deadline)
        guard let target = hub?.network(for: host) else { throw .unknownHost(host) }
        guard let handler = target.state.withLock({ $0.inboxes[inbox] }) else {
            throw .noHandler(host: host, inbox: inbox)
        }
        let sender = hostID
        Task { await handler(payload, sender) }
    }

    public func register(inbox: String, handler: @escaping MessageHandler) throws(NetworkError) {
        try state.withLock { (state: inout State) throws(NetworkError) in
            guard state.inboxes[inbox] == nil else { throw .inboxInUse(inbox) }
            state.inboxes[inbox] = handler
        }
    }

    public func unregister(inbox: String) { _ = state.withLock { $0.inboxes.removeValue(forKey: inbox) } }

    public func publish(_ payload: [UInt8], topic: String) async throws(NetworkError) {
        guard payload.count <= maximumMessageBytes else {
            throw .tooLarge(size: payload.count, limit: maximumMessageBytes)
        }
        guard let hub else { throw .closed }
        let sender = hostID
        for network in hub.all {
            guard let subscription = network.state.withLock({ $0.topics[topic] }) else { continue }
            guard subscription.validator(payload, sender) == .accept else { continue }
            Task { await subscription.handler(payload, sender) }
        }
    }

    public func subscribe(topic: String, validator: @escaping TopicValidator, handler: @escaping MessageHandler)
        throws(NetworkError)
    {
        try state.withLock { (state: inout State) throws(NetworkError) in
            guard state.topics[topic] == nil else { throw .alreadySubscribed(topic) }
            state.topics[topic] = Subscription(validator: validator, handler: handler)
        }
    }

    public func unsubscribe(topic: String) { _ = state.withLock { $0.topics.removeValue(forKey: topic) } }
}
