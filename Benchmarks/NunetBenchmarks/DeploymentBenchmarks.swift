import DMSActor
import DMSCapabilities
import DMSCore
import DMSCrypto
import DMSEnsemble
import DMSExecutor
import DMSExecutorWasm
import DMSMessages
import DMSNetwork
import DMSOrchestrator
import DMSProvider
import DMSResources
import DMSStore
import Foundation
import Logging

/// hello-wasm deployed to the local node: time from the deployment request to Completed (bids, matching,
/// commit, allocate, a `nunet-wasm` child running the module built from examples/hello-wasm/hello.c,
/// the task's end, logs copied, provider released). Goal: p50 and p99 under 100 ms.
enum DeploymentBenchmarks {
    static func run() async throws {
        let module = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/hello-wasm/hello.wasm")
        guard let bytes = try? Data(contentsOf: module) else {
            print("deploy: build the module first: examples/hello-wasm/build.sh")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nunet-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = PrivateKey()
        let context = CapabilityContext(name: "bench", did: DID(publicKey: key.publicKey), signer: key)
        let network = InMemoryNetworkHub().host(PeerID(publicKey: key.publicKey).description)
        let root = BasicActor(key: key, capabilities: context, network: network, inbox: "root")
        let store = try Store.open(inDirectory: directory.path)
        let resources = try ResourceManager(repository: ResourceRepository(store: store))
        try await resources.onboard(Resources(cpu: CPUResources(cores: 2), ram: 4 << 30, disk: 10 << 30))
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let provider = Provider(
            root: root, nodeKey: key, resources: resources, executors: [.wasm: WasmExecutor()],
            repository: ProviderAllocationRepository(store: store),
            settings: ProviderSettings(workDirectory: directory.appendingPathComponent("allocations")), logger: logger)
        let registry = DeploymentRegistry(
            root: root, nodeKey: key, repository: DeploymentRepository(store: store),
            settings: OrchestratorSettings(logDirectory: directory.appendingPathComponent("deployments")),
            logger: logger)
        try await provider.start()
        try root.start()
        try root.subscribe(topic: Topics.deployment)
        let ensemble = try EnsembleParser.parse(
            yaml: """
                version: V1
                allocations:
                  hello:
                    type: task
                    executor: wasm
                    resources: {cpu: {cores: 0.5}, ram: {size: 64MiB}, disk: {size: 64MiB}}
                    execution: {type: wasm, module: {inline: \(Base64.encode(Array(bytes)))}, args: [from, nunet]}
                """)
        var samples: [Double] = []
        for round in 0..<220 {
            let start = ContinuousClock.now
            let id = try await registry.create(ensemble, timeout: 60)
            let status = try await registry.wait(id, for: [.completed, .failed])
            let elapsed = ContinuousClock.now - start
            guard status == .completed else {
                let reason = try await registry.record(id).reason
                fatalError("hello-wasm ended \(status): \(reason)")
            }
            if round == 5, ProcessInfo.processInfo.environment["NUNET_BENCH_TRACE"] != nil {
                let record = try await registry.record(id)
                let start = record.createdAt
                for event in record.events {
                    print(String(format: "%7.1f ms %@ %@", (event.at - start) * 1000, event.status, event.reason))
                }
            }
            if round >= 20 {
                samples.append(Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
            }
        }
        samples.sort()
        let p50 = samples[samples.count / 2]
        let p99 = samples[samples.count * 99 / 100]
        Measure.row(
            "hello-wasm request → Completed, local node, p50", String(format: "%.1f ms", p50 * 1000), "< 100 ms")
        Measure.row(
            "hello-wasm request → Completed, local node, p99", String(format: "%.1f ms", p99 * 1000), "< 100 ms")
        await registry.suspendAll()
        await provider.stop()
        await root.stop()
    }
}
