import DMSActor
import DMSCapabilities
import DMSCore
import DMSCrypto
import DMSEnsemble
import DMSExecutor
import DMSMessages
import DMSNetwork
import DMSOrchestrator
import DMSProvider
import DMSResources
import DMSStore
import Foundation
import Logging
import NunetTestSupport

/// Nodes on one in-memory network, each with its own store on disk, resource manager, provider and
/// deployment registry, all trusting each other for deployments: a small network in one process.
final class DeploymentCluster: Sendable {
    let hub = InMemoryNetworkHub()
    let directory = TemporaryDirectory()
    let nodes: [ClusterNode]

    /// `providers` onboarded resources per node (nil: that node offers nothing).
    init(
        providers: [Resources?], executors: @Sendable () -> [ExecutorKind: any Executor] = { [.null: NoopExecutor()] },
        settings: (URL) -> OrchestratorSettings = DeploymentCluster.fastSettings
    ) async throws {
        var nodes: [ClusterNode] = []
        for (index, resources) in providers.enumerated() {
            nodes.append(
                try await ClusterNode(
                    hub: hub, directory: URL(fileURLWithPath: directory.path).appendingPathComponent("node\(index)"),
                    onboarded: resources,
                    executors: executors(), settings: settings))
        }
        self.nodes = nodes
        for node in nodes {
            for other in nodes where other !== node { try node.trust(other) }
        }
        for node in nodes { try await node.start() }
    }

    /// Short waits, except where a starved 2-core machine could miss them: bids and invocations get 10 s (a
    /// placement that completes stops collecting at once, so only refusals wait the window out).
    static func fastSettings(_ directory: URL) -> OrchestratorSettings {
        OrchestratorSettings(
            logDirectory: directory.appendingPathComponent("deployments"), bidWindow: .seconds(10),
            invokeTimeout: 10, waitHold: 0.5, livenessFailures: 3, healthInterval: 0.2, healthFailures: 3,
            healthTimeout: 0.5, restartIntensity: RestartIntensity(maximumRestarts: 3, period: .seconds(60)))
    }

    var orchestrator: ClusterNode { nodes[0] }
}

/// One node of a `DeploymentCluster`.
final class ClusterNode: Sendable {
    let key: PrivateKey
    let context: CapabilityContext
    let network: InMemoryNetwork
    let actor: BasicActor
    let store: Store
    let directory: URL
    let resources: ResourceManager
    let provider: Provider?
    let registry: DeploymentRegistry
    let executors: [ExecutorKind: any Executor]
    let settings: OrchestratorSettings

    init(
        hub: InMemoryNetworkHub, directory: URL, onboarded: Resources?, executors: [ExecutorKind: any Executor],
        settings: (URL) -> OrchestratorSettings, key: PrivateKey = PrivateKey()
    ) async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.key = key
        self.directory = directory
        self.executors = executors
        self.settings = settings(directory)
        context = CapabilityContext(
            name: "node", did: DID(publicKey: key.publicKey), signer: key, verifier: TokenVerifier())
        network = hub.host(PeerID(publicKey: key.publicKey).description)
        actor = BasicActor(key: key, capabilities: context, network: network, inbox: "root")
        store = try Store.open(inDirectory: directory.path)
        resources = try ResourceManager(repository: ResourceRepository(store: store))
        if let onboarded { try await resources.onboard(onboarded) }
        // NUNET_TEST_LOG=1 shows what the nodes do (on standard error), for debugging a test.
        let logger =
            ProcessInfo.processInfo.environment["NUNET_TEST_LOG"] == nil
            ? Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            : Logger(label: "node \(directory.lastPathComponent)") { StreamLogHandler.standardError(label: $0) }
        provider =
            onboarded == nil
            ? nil
            : Provider(
                root: actor, nodeKey: key, resources: resources, executors: executors,
                repository: ProviderAllocationRepository(store: store),
                settings: ProviderSettings(workDirectory: directory.appendingPathComponent("allocations")),
                logger: logger)
        registry = DeploymentRegistry(
            root: actor, nodeKey: key, repository: DeploymentRepository(store: store), settings: self.settings,
            logger: logger)
    }

    var peerID: String { PeerID(publicKey: key.publicKey).description }
    var did: DID { context.did }

    /// Lets `other` orchestrate here: deployment and allocation behaviors, and bid-request broadcasts.
    func trust(_ other: ClusterNode) throws {
        let grant = try context.grant(
            .delegate, subject: other.did, topics: ["/nunet"],
            expiry: UnixTime.nowNanoseconds() + 3_600_000_000_000, capabilities: ["/dms"])
        try other.context.addAnchors(CapabilityAnchors(provide: [grant]))
        try context.addAnchors(CapabilityAnchors(require: [grant]))
    }

    func start() async throws {
        try await provider?.start()
        try actor.start()
        try actor.subscribe(topic: Topics.deployment)
        await registry.restore()
    }

    /// Deploys and waits for a final status (or `until`), returning the record.
    func deploy(_ yaml: String, timeout: Double = 20, until wanted: Set<DeploymentStatus> = [.completed, .failed])
        async throws -> DeploymentRecord
    {
        let id = try await registry.create(try EnsembleParser.parse(yaml: yaml), timeout: timeout)
        return try await waitFor(id, wanted)
    }

    func waitFor(_ id: String, _ wanted: Set<DeploymentStatus>, within seconds: Double = 30) async throws
        -> DeploymentRecord
    {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let record = try await registry.record(id)
            if wanted.contains(record.status) || Date() > deadline { return record }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

extension DeploymentRecord {
    var statusNames: [String] { events.map(\.status) }
}
