import DMSActor
import DMSConfig
import DMSCrypto
import DMSEnsemble
import DMSExecutor
import DMSExecutorDocker
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
    /// node orchestrates. Docker is among the executors whenever `docker.host` is well formed; it is offered
    /// in bids only while its daemon answers. Its containers are labelled with `owner` (the node's peer ID).
    public static func standard(store: Store, config: EffectiveConfig, owner: String, logger: Logger)
        -> DeploymentSetup
    {
        let data = URL(fileURLWithPath: config.dataDirectory, isDirectory: true)
        var executors: [ExecutorKind: any Executor] = [.wasm: WasmExecutor(), .null: NoopExecutor()]
        do {
            executors[.docker] = DockerExecutor(
                settings: try dockerSettings(config, owner: owner, logger: logger), logger: logger)
        } catch {
            logger.warning("the Docker executor is off: \(error)")
        }
        return DeploymentSetup(
            store: store,
            executors: executors,
            provider: ProviderSettings(
                workDirectory: data.appendingPathComponent("allocations", isDirectory: true),
                location: config.hostLocation.map {
                    Location(continent: $0.continent, country: $0.country, city: $0.city)
                },
                portRange: config.publicPortRange, allowPrivilegedContainers: config.dockerAllowsPrivileged,
                terms: ProviderTerms(config: config).capability),
            orchestrator: OrchestratorSettings(
                logDirectory: data.appendingPathComponent("deployments", isDirectory: true)))
    }
}

/// The Docker executor's settings from the configuration. An unreadable credentials file costs the
/// provider's own registry logins (said in the log), not the executor.
private func dockerSettings(_ config: EffectiveConfig, owner: String, logger: Logger) throws -> DockerSettings {
    let credentials: DockerCredentials
    do {
        credentials = try DockerCredentials.load(from: config.dockerCredentialsFile)
    } catch {
        logger.warning("registry logins not loaded: \(error)")
        credentials = DockerCredentials()
    }
    return DockerSettings(
        endpoint: try DockerEngine.endpoint(dockerHost: config.dockerHost), owner: owner,
        pidsLimit: Int64(config.dockerPidsLimit), stopGrace: config.dockerStopGrace,
        allowPrivileged: config.dockerAllowsPrivileged, credentials: credentials)
}

/// The node's deployment roles: provider (when it has resources) and orchestrator.
public struct NodeDeployments: Sendable {
    public let provider: Provider?
    public let registry: DeploymentRegistry
    /// The stored deployments (history included), for counts that need no orchestrator.
    public let history: DeploymentRepository
    /// The executors this node runs allocations with.
    public let executors: [ExecutorKind: any Executor]
    let root: BasicActor

    init(setup: DeploymentSetup, root: BasicActor, key: PrivateKey, resources: NodeResources?, logger: Logger) {
        provider = resources.map {
            Provider(
                root: root, nodeKey: key, resources: $0.manager, executors: setup.executors,
                repository: ProviderAllocationRepository(store: setup.store), settings: setup.provider,
                logger: logger)
        }
        self.root = root
        history = DeploymentRepository(store: setup.store)
        executors = setup.executors
        registry = DeploymentRegistry(
            root: root, nodeKey: key, repository: history,
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
