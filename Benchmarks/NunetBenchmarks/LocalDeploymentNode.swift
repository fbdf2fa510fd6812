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

/// One node that deploys to itself, in process, with a store on disk: the provider with the given
/// executors and the orchestrators' registry, as the daemon wires them.
struct LocalDeploymentNode {
    let directory: URL
    let key = PrivateKey()
    let root: BasicActor
    let provider: Provider
    let registry: DeploymentRegistry

    var allocationsDirectory: URL { directory.appendingPathComponent("allocations") }

    init(executors: [ExecutorKind: any Executor]) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("nunet-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let context = CapabilityContext(name: "bench", did: DID(publicKey: key.publicKey), signer: key)
        let network = InMemoryNetworkHub().host(PeerID(publicKey: key.publicKey).description)
        root = BasicActor(key: key, capabilities: context, network: network, inbox: "root")
        let store = try Store.open(inDirectory: directory.path)
        let resources = try ResourceManager(repository: ResourceRepository(store: store))
        try await resources.onboard(Resources(cpu: CPUResources(cores: 2), ram: 4 << 30, disk: 10 << 30))
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        provider = Provider(
            root: root, nodeKey: key, resources: resources, executors: executors,
            repository: ProviderAllocationRepository(store: store),
            settings: ProviderSettings(workDirectory: directory.appendingPathComponent("allocations")), logger: logger)
        registry = DeploymentRegistry(
            root: root, nodeKey: key, repository: DeploymentRepository(store: store),
            settings: OrchestratorSettings(logDirectory: directory.appendingPathComponent("deployments")),
            logger: logger)
        try await provider.start()
        try root.start()
        try root.subscribe(topic: Topics.deployment)
    }

    func stop() async {
        await registry.suspendAll()
        await provider.stop()
        await root.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
