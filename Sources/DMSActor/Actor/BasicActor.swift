import DMSCapabilities
import DMSCore
import DMSCrypto
import DMSNetwork
import Logging
import Synchronization

/// A DMS actor: a key-named mailbox on a host whose behaviors run when signed, unexpired, fresh and
/// authorised messages arrive. Handlers run with bounded concurrency; every refusal is counted and,
/// when the sender asked for a reply, answered with an error reply naming the reason.
public final class BasicActor: Sendable {
    public let handle: ActorHandle
    public let security: ActorSecurity
    public let network: any Network
    public let registry: ActorRegistry
    public let parentInbox: String?
    public let statistics = ActorStatistics()
    let configuration: ActorConfiguration
    public let clock: @Sendable () -> UInt64
    let replay = ReplayGuard()
    let mailbox: Mailbox

    struct State {
        var behaviors: [String: Behavior] = [:]
        var pending: [String: ReplySlot] = [:]
        var sweeper: Task<Void, Never>?
        var topics: Set<String> = []
        var lifecycle = Lifecycle.created
        var termination: [CheckedContinuation<ActorExit, Never>] = []
        var exit: ActorExit?
    }

    enum Lifecycle { case created, running, stopped }

    let state = Mutex(State())

    public init(
        key: PrivateKey, capabilities: CapabilityContext, network: any Network, inbox: String,
        registry: ActorRegistry = ActorRegistry(), parentInbox: String? = nil,
        configuration: ActorConfiguration = ActorConfiguration(),
        clock: @escaping @Sendable () -> UInt64 = UnixTime.nowNanoseconds
    ) {
        security = ActorSecurity(key: key, capabilities: capabilities)
        handle = ActorHandle(
            key: key.publicKey, did: capabilities.did, address: ActorAddress(host: network.hostID, inbox: inbox))
        self.network = network
        self.registry = registry
        self.parentInbox = parentInbox
        self.configuration = configuration
        self.clock = clock
        mailbox = Mailbox(capacity: configuration.mailboxCapacity, concurrency: configuration.concurrency)
    }

    public var limiter: RateLimiter { configuration.limiter }
    var logger: Logger { configuration.logger }
    var metrics: ActorMetrics? { configuration.metrics }

    // MARK: - Behaviors

    /// Registers (or replaces) the behavior `name`, matched exactly.
    public func addBehavior(
        _ name: String, options: BehaviorOptions = BehaviorOptions(), handler: @escaping BehaviorHandler
    ) {
        state.withLock { $0.behaviors[name] = Behavior(name: name, options: options, handler: handler) }
    }

    public func removeBehavior(_ name: String) { _ = state.withLock { $0.behaviors.removeValue(forKey: name) } }

    public var behaviorNames: [String] { state.withLock { $0.behaviors.keys.sorted() } }

    /// The live behavior `name`; expired behaviors are removed on sight.
    func behavior(_ name: String, now: UInt64) -> Behavior? {
        state.withLock { state in
            guard let behavior = state.behaviors[name] else { return nil }
            if let expiry = behavior.options.expiry, now > expiry {
                state.behaviors.removeValue(forKey: name)
                return nil
            }
            if behavior.options.oneShot { state.behaviors.removeValue(forKey: name) }
            return behavior
        }
    }

    // MARK: - Lifecycle

    /// Registers the inbox on the network and in the registry. Idempotent.
    public func start() throws(ActorError) {
        let shouldStart = state.withLock { state -> Bool in
            guard state.lifecycle == .created else { return false }
            state.lifecycle = .running
            return true
        }
        guard shouldStart else { return }
        try registry.register(self, parent: parentInbox)
        do {
            try network.register(inbox: handle.address.inbox) { [weak self] payload, sender in
                await self?.receive(payload, from: sender)
            }
        } catch {
            registry.unregister(handle.address.inbox)
            throw .network(error)
        }
    }

    /// Stops receiving, lets queued messages finish, fails pending invocations, leaves the registry.
    public func stop() async { await terminate(.normal) }

    /// Ends the actor with a failure its supervisor sees.
    public func fail(_ error: ActorError) async { await terminate(.failure(error)) }

    private func terminate(_ exit: ActorExit) async {
        typealias Teardown = (
            pending: [ReplySlot], topics: Set<String>, waiters: [CheckedContinuation<ActorExit, Never>]
        )
        let teardown: Teardown? = state.withLock { state in
            guard state.lifecycle != .stopped else { return nil }
            state.lifecycle = .stopped
            state.exit = exit
            state.sweeper?.cancel()
            defer {
                state.pending = [:]
                state.termination = []
                state.sweeper = nil
            }
            return (Array(state.pending.values), state.topics, state.termination)
        }
        guard let teardown else { return }
        network.unregister(inbox: handle.address.inbox)
        for topic in teardown.topics { network.unsubscribe(topic: topic) }
        await mailbox.close()
        for slot in teardown.pending { slot.fill(.failure(.stopped)) }
        registry.unregister(handle.address.inbox)
        for waiter in teardown.waiters { waiter.resume(returning: exit) }
    }

    /// Waits until the actor stops and says how.
    public func waitForExit() async -> ActorExit {
        await withCheckedContinuation { continuation in
            let exit: ActorExit? = state.withLock { state in
                if let exit = state.exit { return exit }
                state.termination.append(continuation)
                return nil
            }
            if let exit { continuation.resume(returning: exit) }
        }
    }

    public var isRunning: Bool { state.withLock { $0.lifecycle == .running } }

    // MARK: - Children

    /// A child actor with its own key and inbox, acting for the same identity (capability context),
    /// recorded in the registry under this actor. Start it to receive messages.
    public func createChild(
        inbox: String, key: PrivateKey = PrivateKey(), configuration: ActorConfiguration? = nil
    ) -> BasicActor {
        var childConfiguration = configuration ?? self.configuration
        childConfiguration.limiter = self.configuration.limiter
        childConfiguration.metrics = self.configuration.metrics
        return BasicActor(
            key: key, capabilities: security.capabilities, network: network, inbox: inbox, registry: registry,
            parentInbox: handle.address.inbox, configuration: childConfiguration, clock: clock)
    }

    public var children: [ActorHandle] { registry.children(of: handle.address.inbox).map(\.handle) }
}

/// How an actor ended.
public enum ActorExit: Sendable, Equatable {
    case normal
    case failure(ActorError)
}
