import DMSCore
import DMSCrypto
import DMSEnsemble
import DMSExecutor
import DMSOrchestrator
import Foundation
import Testing

/// A daemon that stops in the middle of a deployment finds it again at the next start, with a definite
/// status: what died with it is Failed with that reason, or restarted per its policy.
@Suite struct RestoreTests {
    static let provider = Resources(cpu: CPUResources(cores: 4), ram: 8 << 30, disk: 50 << 30)

    static func service(recovery: String) -> String {
        """
        version: V1
        allocations:
          web:
            type: service
            executor: null
            failure_recovery: \(recovery)
            resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}
            execution: {type: null, stdout: up}
        """
    }

    /// Stops the node as a crash would (nothing more is recorded) and starts a new one on the same data.
    func restart(_ node: ClusterNode, in cluster: DeploymentCluster) async throws -> ClusterNode {
        await crash(node)
        return try await startAgain(node, in: cluster)
    }

    func crash(_ node: ClusterNode) async {
        await node.registry.suspendAll()
        await node.actor.stop()
    }

    func startAgain(_ node: ClusterNode, in cluster: DeploymentCluster) async throws -> ClusterNode {
        let restarted = try await ClusterNode(
            hub: cluster.hub, directory: node.directory, onboarded: Self.provider, executors: [.null: NoopExecutor()],
            settings: DeploymentCluster.fastSettings, key: node.key)
        try await restarted.start()
        return restarted
    }

    @Test func anAllocationThatDiedWithTheDaemonFailsAStayDownDeployment() async throws {
        let cluster = try await DeploymentCluster(providers: [Self.provider])
        let running = try await cluster.orchestrator.deploy(
            Self.service(recovery: "stay_down"), until: [.running, .failed])
        #expect(running.status == .running, "\(running.reason)")
        let node = try await restart(cluster.orchestrator, in: cluster)
        let record = try await node.waitFor(running.id, [.failed, .completed])
        #expect(record.status == .failed)
        #expect(record.reason.contains("the daemon stopped while it ran"), "\(record.reason)")
        #expect(await node.resources.freeResources == Self.provider)
    }

    @Test func anAllocationThatDiedWithTheDaemonIsRestartedUnderOneForOne() async throws {
        let cluster = try await DeploymentCluster(providers: [Self.provider])
        let running = try await cluster.orchestrator.deploy(
            Self.service(recovery: "one_for_one"), until: [.running, .failed])
        #expect(running.status == .running, "\(running.reason)")
        let node = try await restart(cluster.orchestrator, in: cluster)
        let deadline = Date().addingTimeInterval(20)
        var record = try await node.registry.record(running.id)
        while (record.manifest.allocations["web"]?.restarts != 1
            || record.manifest.allocations["web"]?.status != "running")
            && Date() < deadline
        {
            try await Task.sleep(for: .milliseconds(20))
            record = try await node.registry.record(running.id)
        }
        #expect(record.status == .running)
        #expect(record.manifest.allocations["web"]?.restarts == 1)
        #expect(await node.provider!.allocations().map(\.status) == ["running"])
        #expect(await node.resources.allocatedResources.cpu.cores == 1)
        try await node.registry.shutdown(running.id)
        #expect(try await node.registry.record(running.id).status == .completed)
    }

    @Test func aDeploymentInterruptedBeforeRunningFailsOnceItsDeadlineHasPassed() async throws {
        let cluster = try await DeploymentCluster(providers: [nil])
        let node = cluster.orchestrator
        let id = try await node.registry.create(
            try EnsembleParser.parse(yaml: Self.service(recovery: "stay_down")), timeout: 1, queue: true)
        await crash(node)
        #expect(try await node.registry.record(id).status == .preparing)
        try await Task.sleep(for: .milliseconds(1200))
        let restarted = try await startAgain(node, in: cluster)
        let record = try await restarted.waitFor(id, [.failed])
        #expect(record.status == .failed)
        #expect(record.reason.contains("daemon stopped while the deployment was Preparing"), "\(record.reason)")
    }

    @Test func aDeploymentInterruptedBeforeRunningIsDeployedAgainWithinItsDeadline() async throws {
        let cluster = try await DeploymentCluster(providers: [Self.provider])
        let node = cluster.orchestrator
        // A pinned peer that does not exist keeps the deployment looking for providers (queued).
        let absent = PeerID(publicKey: PrivateKey().publicKey).description
        let yaml = Self.service(recovery: "stay_down") + "\nnodes:\n  web: {allocations: [web], peer: \(absent)}\n"
        let ensemble = try EnsembleParser.parse(yaml: yaml)
        let id = try await node.registry.create(ensemble, timeout: 30, queue: true)
        try await Task.sleep(for: .milliseconds(300))
        let restarted = try await restart(node, in: cluster)
        let record = try await restarted.registry.record(id)
        #expect(!record.status.isTerminal)
        #expect(record.events.contains { $0.reason.contains("deploying again") }, "\(record.events.map(\.reason))")
        try await restarted.registry.shutdown(id)
    }
}
