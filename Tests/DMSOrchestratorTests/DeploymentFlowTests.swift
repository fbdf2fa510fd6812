import DMSCore
import DMSEnsemble
import DMSExecutor
import DMSOrchestrator
import Foundation
import Testing

/// Deployments end to end over the in-memory network: the orchestrator's states, placement, the
/// provider's resources, logs and failures, as the reference's orchestrator cases describe them.
@Suite struct DeploymentFlowTests {
    static let provider = Resources(cpu: CPUResources(cores: 4), ram: 8 << 30, disk: 50 << 30)

    static func task(_ name: String = "job", exitCode: Int = 0, stdout: String = "ok", extra: String = "") -> String {
        """
        version: V1
        allocations:
          \(name):
            type: task
            executor: null
            resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}
            execution: {type: null, exit_code: \(exitCode), stdout: "\(stdout)"}
        \(extra)
        """
    }

    @Test func taskOnlyEnsembleGoesThroughTheStatesToCompleted() async throws {
        let cluster = try await DeploymentCluster(providers: [nil, Self.provider])
        let record = try await cluster.orchestrator.deploy(Self.task())
        #expect(record.status == .completed, "\(record.reason)")
        #expect(record.statusNames == ["Preparing", "Committing", "Provisioning", "Running", "Completed"])
        let providerNode = cluster.nodes[1]
        #expect(record.manifest.nodes["job"]?.peer == providerNode.peerID)
        #expect(record.manifest.allocations["job"]?.nodeID == "job")
        #expect(record.manifest.allocations["job"]?.status == "completed")
        #expect(record.manifest.allocations["job"]?.exitCode == 0)
        #expect(record.manifest.id == record.id)
        #expect(record.manifest.orchestrator.host == cluster.orchestrator.peerID)
        // Everything released on the provider, and the allocation forgotten there.
        #expect(await providerNode.resources.freeResources == Self.provider)
        #expect(await providerNode.provider!.allocations().isEmpty)
        // The task's output kept on the orchestrator.
        let logs = try await cluster.orchestrator.registry.logs(record.id, allocation: "job", from: .init())
        #expect(logs.0.stdout == "ok")
        #expect(FileManager.default.fileExists(atPath: logs.1.appendingPathComponent("stdout.log").path))
    }

    @Test func aNodeCanDeployToItself() async throws {
        let cluster = try await DeploymentCluster(providers: [Self.provider])
        let record = try await cluster.orchestrator.deploy(Self.task())
        #expect(record.status == .completed, "\(record.reason)")
        #expect(record.manifest.nodes["job"]?.peer == cluster.orchestrator.peerID)
    }

    @Test func aFailingTaskWithStayDownFailsTheDeploymentWithItsExit() async throws {
        let cluster = try await DeploymentCluster(providers: [Self.provider])
        let record = try await cluster.orchestrator.deploy(Self.task(exitCode: 3))
        #expect(record.status == .failed)
        #expect(record.reason.contains("allocation job failed"), "\(record.reason)")
        #expect(record.reason.contains("3"), "\(record.reason)")
        #expect(record.manifest.allocations["job"]?.exitCode == 3)
        #expect(await cluster.nodes[0].resources.freeResources == Self.provider)
    }

    @Test func insufficientResourcesFailWithEveryProvidersReason() async throws {
        let small = Resources(cpu: CPUResources(cores: 2), ram: 4 << 30, disk: 10 << 30)
        let cluster = try await DeploymentCluster(providers: [nil, small, small])
        let yaml = """
            version: V1
            allocations:
              big:
                type: task
                executor: null
                resources: {cpu: {cores: 1}, ram: {size: 16}, disk: {size: 1}}
                execution: {type: null}
            nodes:
              gpu-box: {allocations: [big]}
            """
        let record = try await cluster.orchestrator.deploy(yaml)
        #expect(record.status == .failed)
        #expect(record.reason.contains("gpu-box"), "\(record.reason)")
        for provider in cluster.nodes.dropFirst() {
            #expect(record.reason.contains(provider.peerID), "\(record.reason)")
        }
        #expect(record.reason.contains("ram: need 16 GiB, 4 GiB free"), "\(record.reason)")
        #expect(record.statusNames == ["Preparing", "Failed"])
    }

    @Test func aPinnedNodeGoesToItsPeerOnly() async throws {
        let cluster = try await DeploymentCluster(providers: [nil, Self.provider, Self.provider])
        let pinned = cluster.nodes[2].peerID
        let yaml = """
            version: V1
            allocations:
              a: {type: task, executor: null, resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}, execution: {type: null}}
              b: {type: task, executor: null, resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}, execution: {type: null}}
            nodes:
              first: {allocations: [a], peer: \(pinned)}
              second: {allocations: [b]}
            """
        let record = try await cluster.orchestrator.deploy(yaml)
        #expect(record.status == .completed, "\(record.reason)")
        #expect(record.manifest.nodes["first"]?.peer == pinned)
    }

    @Test func dependenciesStartAfterTheTasksTheyNeedHaveCompleted() async throws {
        let cluster = try await DeploymentCluster(providers: [Self.provider])
        let yaml = """
            version: V1
            allocations:
              seed: {type: task, executor: null, resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}, execution: {type: null, seconds: 0.3, stdout: seeded}}
              api:
                type: task
                executor: null
                depends_on: [seed]
                resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}
                execution: {type: null, stdout: served}
            nodes:
              box: {allocations: [seed, api]}
            """
        let record = try await cluster.orchestrator.deploy(yaml)
        #expect(record.status == .completed, "\(record.reason)")
        let seedLog = try await cluster.orchestrator.registry.logs(record.id, allocation: "seed", from: .init())
        let apiLog = try await cluster.orchestrator.registry.logs(record.id, allocation: "api", from: .init())
        #expect(seedLog.0.stdout == "seeded")
        #expect(apiLog.0.stdout == "served")
        let seedFile = seedLog.1.appendingPathComponent("stdout.log").path
        let apiFile = apiLog.1.appendingPathComponent("stdout.log").path
        _ = (seedFile, apiFile)
    }

    @Test func aServiceRunsUntilShutdownThenEndsCompletedAndReleasesEverything() async throws {
        let cluster = try await DeploymentCluster(providers: [Self.provider])
        let node = cluster.orchestrator
        let yaml = """
            version: V1
            allocations:
              web: {type: service, executor: null, resources: {cpu: {cores: 2}, ram: {size: 2}, disk: {size: 1}}, execution: {type: null, stdout: up}}
            """
        let running = try await node.deploy(yaml, until: [.running, .failed])
        #expect(running.status == .running, "\(running.reason)")
        #expect(await node.resources.allocatedResources.cpu.cores == 2)
        #expect(await node.provider!.allocations().map(\.status) == ["running"])
        try await node.registry.shutdown(running.id)
        let done = try await node.registry.record(running.id)
        #expect(done.status == .completed)
        #expect(done.statusNames.suffix(3) == ["Running", "ShuttingDown", "Completed"])
        #expect(await node.resources.freeResources == Self.provider)
        await #expect(throws: OrchestratorError.self) { try await node.registry.shutdown(running.id) }
    }

    @Test func aDeploymentCanBeShutDownBeforeItRuns() async throws {
        let cluster = try await DeploymentCluster(providers: [nil])
        let node = cluster.orchestrator
        let id = try await node.registry.create(
            try EnsembleParser.parse(yaml: Self.task()), timeout: 30, queue: true)
        try await node.registry.shutdown(id)
        let record = try await node.registry.record(id)
        #expect(record.status == .completed)
        #expect(record.statusNames.prefix(1) == ["Preparing"])
        #expect(record.statusNames.suffix(2) == ["ShuttingDown", "Completed"])
    }

    @Test func aQueuedDeploymentWaitsForCapacityInsteadOfFailing() async throws {
        let small = Resources(cpu: CPUResources(cores: 1), ram: 1 << 30, disk: 10 << 30)
        let cluster = try await DeploymentCluster(providers: [nil, small])
        let node = cluster.orchestrator
        let yaml = Self.task().replacingOccurrences(of: "ram: {size: 1}", with: "ram: {size: 2}")
        let id = try await node.registry.create(try EnsembleParser.parse(yaml: yaml), timeout: 120, queue: true)
        // It retries, saying why, until the provider has room.
        let shortage = "ram: need 2 GiB, 1 GiB free"
        let deadline = Date().addingTimeInterval(60)
        var waiting = try await node.registry.record(id)
        while !waiting.events.contains(where: { $0.reason.contains(shortage) }) && Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            waiting = try await node.registry.record(id)
        }
        #expect(waiting.events.contains { $0.reason.contains(shortage) }, "\(waiting.events.map(\.reason))")
        #expect(waiting.status == .preparing)
        try await cluster.nodes[1].resources.onboard(Self.provider)
        let record = try await node.waitFor(id, [.completed, .failed], within: 60)
        #expect(record.status == .completed, "\(record.reason)")
    }

    @Test func wasmCommandHealthChecksAndUninlinedModulesAreRefusedBeforeAnythingIsCreated() async throws {
        let cluster = try await DeploymentCluster(providers: [Self.provider])
        // As a client that skips the CLI's validation could send it (the parser refuses the command check too).
        let ensemble = Ensemble(
            allocations: [
                "w": Allocation(
                    name: "w", executor: .wasm, type: .service,
                    resources: Resources(cpu: CPUResources(cores: 1), ram: 1 << 30, disk: 1 << 30),
                    execution: .wasm(WasmExecution(module: .path("hello.wasm"))),
                    healthcheck: HealthCheck(type: .command, exec: ["true"]))
            ], nodes: ["w": NodeSpec(name: "w", allocations: ["w"])])
        let error = await #expect(throws: OrchestratorError.self) {
            try await cluster.orchestrator.registry.create(ensemble, timeout: 30)
        }
        #expect("\(error!)".contains("allocations.w.healthcheck.type"))
        #expect("\(error!)".contains("allocations.w.execution.module"))
        #expect(try await cluster.orchestrator.registry.list(.init()).total == 0)
    }
}
