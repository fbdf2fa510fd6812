import DMSActor
import DMSConfig
import DMSCrypto
import DMSEnsemble
import DMSExecutor
import DMSExecutorWasm
import DMSMessages
import DMSOrchestrator
import DMSProvider
import DMSResources
import DMSStore
import Foundation
import Logging

/// What a node needs to take part in deployments: its executors and the provider and orchestrator
/// settings. The daemon's standard setup offers WASM (and the no-op executor, for dry runs).
public struct DeploymentSetup: Sendable {
    public var store: Store
    public var executors: [ExecutorKind: any Executor]
    public var provider: ProviderSettings
    public var orchestrator: OrchestratorSettings

    public init(
        store: Store, executors: [ExecutorKind: any Executor], provider: ProviderSettings,
        orchestrator: OrchestratorSettings
    ) {
        self.store = store
        self.executors = executors
        self.provider = provider
        self.orchestrator = orchestrator
    }

    /// `<data>/allocations` for the provider's work, `<data>/deployments` for the logs of deployments this
    /// node orchestrates.
    public static func standard(store: Store, config: EffectiveConfig) -> DeploymentSetup {
        let data = URL(fileURLWithPath: config.dataDirectory, isDirectory: true)
        return DeploymentSetup(
            store: store,
            executors: [.wasm: WasmExecutor(), .null: NoopExecutor()],
            provider: ProviderSettings(
                workDirectory: data.appendingPathComponent("allocations", isDirectory: true),
                portRange: config.publicPortRange),
            orchestrator: OrchestratorSettings(
                logDirectory: data.appendingPathComponent("deployments", isDirectory: true)))
    }
}

/// The node's deployment roles: provider (when it has resources) and orchestrator.
public struct NodeDeployments: Sendable {
    public let provider: Provider?
    public let registry: DeploymentRegistry
    let root: BasicActor

    init(setup: DeploymentSetup, root: BasicActor, key: PrivateKey, resources: NodeResources?, logger: Logger) {
        provider = resources.map {
            Provider(
                root: root, nodeKey: key, resources: $0.manager, executors: setup.executors,
                repository: ProviderAllocationRepository(store: setup.store), settings: setup.provider,
                logger: logger)
        }
        self.root = root
        registry = DeploymentRegistry(
            root: root, nodeKey: key, repository: DeploymentRepository(store: setup.store),
            settings: setup.orchestrator, logger: logger)
    }

    func start() async throws {
        try await provider?.start()
        try? root.subscribe(topic: Topics.deployment)
        await registry.restore()
    }

    func stop() async {
        await registry.suspendAll()
        await provider?.stop()
    }
}
