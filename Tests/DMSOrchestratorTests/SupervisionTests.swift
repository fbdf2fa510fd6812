import DMSCore
import DMSEnsemble
import DMSExecutor
import DMSOrchestrator
import Foundation
import NunetTestSupport
import Testing

/// The ensemble's failure_recovery and supervisor strategies, enforced through the actor layer's
/// Supervisor: the reference's supervisor cases and each strategy.
@Suite struct SupervisionTests {
    static let provider = Resources(cpu: CPUResources(cores: 8), ram: 16 << 30, disk: 50 << 30)

    static func service(_ name: String, recovery: String = "one_for_one", extra: String = "", dependsOn: String = "")
        -> String
    {
        """
          \(name):
            type: service
            executor: null
            failure_recovery: \(recovery)
            resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}
            execution: {type: null}
        \(extra)\(dependsOn.isEmpty ? "" : "    depends_on: [\(dependsOn)]\n")
        """
    }

    static let commandCheck = "    healthcheck: {type: command, exec: [check]}\n"

    func restarts(_ node: ClusterNode, _ id: String) async throws -> [String: Int] {
        try await node.registry.record(id).manifest.allocations.mapValues(\.restarts)
    }

    func waitUntil(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Reference case (a): three failed health checks restart that allocation once, and only it.
    @Test func failingHealthChecksRestartOnlyThatAllocationOnce() async throws {
        let executor = NoopExecutor()
        let cluster = try await DeploymentCluster(providers: [Self.provider], executors: { [.null: executor] })
        let node = cluster.orchestrator
        let yaml =
            "version: V1\nallocations:\n" + Self.service("checked", extra: Self.commandCheck) + Self.service("other")
        let running = try await node.deploy(yaml, until: [.running, .failed])
        #expect(running.status == .running, "\(running.reason)")
        await executor.setHealthy(false)
        #expect(try await waitUntil { try await restarts(node, running.id)["checked"] == 1 })
        await executor.setHealthy(true)
        try await Task.sleep(for: .seconds(1))
        #expect(try await restarts(node, running.id) == ["checked": 1, "other": 0])
        #expect(try await node.registry.record(running.id).status == .running)
        try await node.registry.shutdown(running.id)
    }

    /// Reference case (b): a health check that never answers (three timeouts) restarts that allocation.
    @Test func healthChecksThatNeverAnswerRestartOnlyThatAllocation() async throws {
        let silent = try LoopbackNetwork.Listener()
        let cluster = try await DeploymentCluster(providers: [Self.provider])
        let node = cluster.orchestrator
        let check = "    healthcheck: {type: http, endpoint: \"http://127.0.0.1:\(silent.port)/health\"}\n"
        let yaml = "version: V1\nallocations:\n" + Self.service("checked", extra: check) + Self.service("other")
        let running = try await node.deploy(yaml, until: [.running, .failed])
        #expect(running.status == .running, "\(running.reason)")
        #expect(try await waitUntil { try await restarts(node, running.id)["checked"] == 1 })
        #expect(try await restarts(node, running.id)["other"] == 0)
        try await node.registry.shutdown(running.id)
        _ = silent
    }

    /// Deploys `yaml`, makes the health-checked allocation `failing` fail its checks until supervision
    /// restarts it, then expects `alsoRestarted` to be restarted with it and `untouched` not.
    func expectRestarts(
        _ yaml: String, failing: String, alsoRestarted: String, untouched: String? = nil
    ) async throws {
        let executor = NoopExecutor()
        let cluster = try await DeploymentCluster(providers: [Self.provider], executors: { [.null: executor] })
        let node = cluster.orchestrator
        let running = try await node.deploy(yaml, until: [.running, .failed])
        #expect(running.status == .running, "\(running.reason)")
        await executor.setHealthy(false)
        #expect(try await waitUntil { try await restarts(node, running.id)[failing] == 1 })
        await executor.setHealthy(true)
        #expect(try await waitUntil { try await restarts(node, running.id)[alsoRestarted] == 1 })
        if let untouched {
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await restarts(node, running.id)[untouched] == 0)
        }
        try await node.registry.shutdown(running.id)
    }

    @Test func oneForAllRestartsEveryAllocation() async throws {
        try await expectRestarts(
            "version: V1\nallocations:\n" + Self.service("checked", recovery: "one_for_all", extra: Self.commandCheck)
                + Self.service("other"), failing: "checked", alsoRestarted: "other")
    }

    @Test func restForOneRestartsTheFailedAllocationAndThoseStartedAfterIt() async throws {
        let yaml = """
            version: V1
            allocations:
            \(Self.service("a"))\(Self.service("b", recovery: "rest_for_one", extra: Self.commandCheck, dependsOn: "a"))\(Self.service("c", dependsOn: "b"))
            nodes:
              box: {allocations: [a, b, c]}
            """
        try await expectRestarts(yaml, failing: "b", alsoRestarted: "c", untouched: "a")
    }

    @Test func aSupervisorTreeGroupsAllocationsWithTheirOwnStrategy() async throws {
        let yaml = """
            version: V1
            allocations:
            \(Self.service("a", extra: Self.commandCheck))\(Self.service("b"))\(Self.service("c"))
            supervisor:
              strategy: OneForOne
              children: [{strategy: AllForOne, allocations: [a, b]}]
            """
        try await expectRestarts(yaml, failing: "a", alsoRestarted: "b", untouched: "c")
    }

    @Test func aServiceThatKeepsExitingIsRestartedUntilSupervisionGivesUp() async throws {
        let cluster = try await DeploymentCluster(providers: [Self.provider])
        let yaml = """
            version: V1
            allocations:
              flaky:
                type: service
                executor: null
                failure_recovery: one_for_one
                resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}
                execution: {type: null, seconds: 0.05, exit_code: 1}
            """
        let record = try await cluster.orchestrator.deploy(yaml)
        #expect(record.status == .failed)
        #expect(record.reason.contains("more than 3 restarts"), "\(record.reason)")
        #expect(record.manifest.allocations["flaky"]?.restarts == 3)
        #expect(await cluster.orchestrator.resources.freeResources == Self.provider)
    }

    @Test func escalationRedeployStartsTheEnsembleAgain() async throws {
        let cluster = try await DeploymentCluster(providers: [Self.provider])
        let yaml = """
            version: V1
            escalation_strategy: redeploy
            allocations:
              flaky:
                type: service
                executor: null
                failure_recovery: one_for_one
                resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}
                execution: {type: null, seconds: 0.05, exit_code: 1}
            """
        let record = try await cluster.orchestrator.deploy(yaml)
        #expect(record.status == .failed)
        let redeploys = record.events.filter { $0.reason.hasPrefix("redeploying") }
        #expect(redeploys.count == 2, "\(record.events.map { "\($0.status): \($0.reason)" })")
    }

    @Test func aVanishedProviderIsReplacedWhenTheNodeAsksForRedeploy() async throws {
        let cluster = try await DeploymentCluster(
            providers: [nil, Self.provider, Self.provider],
            settings: { directory in
                var settings = DeploymentCluster.fastSettings(directory)
                settings.invokeTimeout = 1.5
                return settings
            })
        let node = cluster.orchestrator
        let yaml =
            "version: V1\nallocations:\n" + Self.service("web", recovery: "stay_down")
            + "nodes:\n  site: {allocations: [web], failure_recovery: redeploy}\n"
        let running = try await node.deploy(yaml, until: [.running, .failed])
        #expect(running.status == .running, "\(running.reason)")
        let first = try #require(running.manifest.nodes["site"]?.peer)
        cluster.hub.remove(first)
        #expect(
            try await waitUntil {
                let record = try await node.registry.record(running.id)
                return record.manifest.nodes["site"]?.peer != first
                    && record.manifest.allocations["web"]?.status == "running"
            })
        let moved = try await node.registry.record(running.id)
        #expect(moved.status == .running)
        #expect(moved.lostPeers == [first])
        try await node.registry.shutdown(running.id)
    }

    @Test func aVanishedProviderFailsTheDeploymentWhenTheNodeStaysDown() async throws {
        let cluster = try await DeploymentCluster(
            providers: [nil, Self.provider],
            settings: { directory in
                var settings = DeploymentCluster.fastSettings(directory)
                settings.invokeTimeout = 1.5
                return settings
            })
        let node = cluster.orchestrator
        let yaml = "version: V1\nallocations:\n" + Self.service("web", recovery: "stay_down")
        let running = try await node.deploy(yaml, until: [.running, .failed])
        #expect(running.status == .running, "\(running.reason)")
        cluster.hub.remove(cluster.nodes[1].peerID)
        let failed = try await node.waitFor(running.id, [.failed])
        #expect(failed.status == .failed)
        #expect(failed.reason.contains("unreachable"), "\(failed.reason)")
    }

    @Test func plansFollowTheEnsemble() throws {
        let flat = try EnsembleParser.parse(
            yaml: "version: V1\nallocations:\n" + Self.service("a") + Self.service("b", recovery: "rest_for_one"))
        #expect(SupervisionPlan.plan(for: flat).strategy == .restForOne)
        #expect(SupervisionPlan.plan(for: flat).allocations == ["a", "b"])
        let stayDown = try EnsembleParser.parse(
            yaml: "version: V1\nallocations:\n" + Self.service("a", recovery: "stay_down"))
        #expect(SupervisionPlan.plan(for: stayDown).members == [.allocation("a", .temporary)])
        let tree = try EnsembleParser.parse(
            yaml: "version: V1\nallocations:\n" + Self.service("a") + Self.service("b") + Self.service("c")
                + "supervisor: {strategy: RestForOne, allocations: [c], children: [{strategy: AllForOne, allocations: [a]}]}\n"
        )
        let plan = SupervisionPlan.plan(for: tree)
        #expect(plan.strategy == .restForOne)
        #expect(
            plan.members == [
                .allocation("c", .permanent),
                .group(SupervisionPlan(strategy: .allForOne, members: [.allocation("a", .permanent)])),
                .allocation("b", .permanent),
            ])
    }
}
