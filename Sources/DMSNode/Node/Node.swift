import DMSActor
import DMSCapabilities
import DMSCore
import DMSCrypto
import DMSMessages
import DMSNetwork
import DMSProvider
import Foundation
import Logging

/// A running node: its identity, its network (libp2p in the daemon, in-memory in tests), and its root
/// actor with the node behaviors.
public final class Node: Sendable {
    public let identity: NodeIdentity
    public let network: any Network
    public let actor: BasicActor
    public let listenAddresses: [String]
    /// The libp2p host, DHT and discovery under `network` in the daemon; nil on an in-memory network.
    public let peerToPeer: PeerToPeer?
    /// The machine's resources and onboarding; nil for a node that offers nothing (tests of other parts).
    public let resources: NodeResources?
    /// Provider and orchestrator roles; nil for a node that takes no part in deployments (tests of other
    /// parts).
    public let deployments: NodeDeployments?
    /// The one writer of the node's capability context (behaviors, the network, the context file).
    public let trust: NodeTrust
    /// The node's metrics registry, fed by its actors and read by `GET /metrics`.
    public let metrics: NodeMetrics
    /// The daemon's log level, changed by `/dms/node/logger/config`; nil for a node without a daemon's logging.
    public let logLevels: LogLevelControl?
    let started = Date()
    let logger: Logger

    public init(
        identity: NodeIdentity, network: any Network, peerToPeer: PeerToPeer? = nil, listenAddresses: [String] = [],
        resources: NodeResources? = nil,
        deployments setup: DeploymentSetup? = nil, logger: Logger, logLevels: LogLevelControl? = nil,
        metrics: NodeMetrics = NodeMetrics(), configuration: ActorConfiguration = ActorConfiguration()
    ) {
        self.identity = identity
        self.network = network
        self.peerToPeer = peerToPeer
        self.listenAddresses = listenAddresses
        self.resources = resources
        self.logger = logger
        self.logLevels = logLevels
        self.metrics = metrics
        trust = NodeTrust(identity: identity)
        var actorConfiguration = configuration
        actorConfiguration.logger = logger
        actorConfiguration.metrics = metrics.actor
        actor = BasicActor(
            key: identity.key, capabilities: identity.capabilities, network: network, inbox: "root",
            configuration: actorConfiguration)
        let root = actor
        deployments = setup.map {
            NodeDeployments(setup: $0, root: root, key: identity.key, resources: resources, logger: logger)
        }
    }

    /// A node on its own in-memory network.
    public static func standalone(identity: NodeIdentity, resources: NodeResources?, logger: Logger) -> Node {
        Node(
            identity: identity, network: InMemoryNetworkHub().host(identity.peerID.description), resources: resources,
            logger: logger)
    }

    public var handle: ActorHandle { actor.handle }

    /// Revalidates onboarding, registers the behaviors, starts the root actor and subscribes to the node
    /// topics (hello and revocations).
    public func start() async throws(ActorError) {
        if let resources {
            if let reason = await resources.onboarding.revalidate() { logger.warning("offboarded at start: \(reason)") }
            ResourceBehaviors.register(on: self, resources: resources)
        }
        NodeBehaviors.register(on: self)
        PeerBehaviors.register(on: self)
        CapabilityBehaviors.register(on: self)
        if let deployments { DeploymentNodeBehaviors.register(on: self, deployments: deployments) }
        try actor.start()
        try actor.subscribe(topic: Topics.hello)
        try actor.subscribe(topic: Topics.revocation)
        do {
            try await deployments?.start()
        } catch {
            logger.error("deployments not started: \(error)")
        }
    }

    /// Picks up changes `nunet cap` made to the context file and broadcasts the revocations among them
    /// that are new, so a revocation made on this machine reaches the network.
    public func reloadCapabilities() async {
        do {
            guard let fresh = try await trust.reloadIfChanged() else { return }
            logger.info("capability context reloaded", metadata: ["new_revocations": "\(fresh.count)"])
            guard !fresh.isEmpty else { return }
            try await CapabilityBehaviors.publish(fresh, from: self)
        } catch {
            logger.error("capability context not reloaded or its revocations not broadcast: \(error)")
        }
    }

    public func stop() async {
        await deployments?.stop()
        await actor.stop()
    }

    var hello: HelloResponse {
        HelloResponse(did: identity.did.uri, peerID: identity.peerID.description, version: BuildInfo.version)
    }
}
