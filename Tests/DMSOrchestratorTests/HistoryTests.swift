import DMSCore
import DMSEnsemble
import DMSOrchestrator
import DMSStore
import Foundation
import Testing

/// The deployment history: listing with filters and paging, prune and delete.
@Suite struct HistoryTests {
    static let provider = Resources(cpu: CPUResources(cores: 4), ram: 8 << 30, disk: 50 << 30)

    static func task(exitCode: Int, team: String) -> String {
        """
        version: V1
        metadata: {team: \(team)}
        allocations:
          job: {type: task, executor: null, resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}, execution: {type: null, exit_code: \(exitCode)}}
        """
    }

    @Test func listFiltersPagesAndSorts() async throws {
        let cluster = try await DeploymentCluster(providers: [Self.provider])
        let node = cluster.orchestrator
        var ids: [String] = []
        for (code, team) in [(0, "vision"), (1, "vision"), (0, "audio")] {
            ids.append(try await node.deploy(Self.task(exitCode: code, team: team)).id)
        }
        var query = DeploymentQuery()
        #expect(try await node.registry.list(query).deployments.map(\.id) == ids.reversed())
        query.statuses = ["Completed"]
        #expect(Set(try await node.registry.list(query).deployments.map(\.id)) == [ids[0], ids[2]])
        query.statuses = []
        query.metadata = ["team": "vision"]
        #expect(Set(try await node.registry.list(query).deployments.map(\.id)) == [ids[0], ids[1]])
        query.metadata = [:]
        query.limit = 1
        query.offset = 1
        let page = try await node.registry.list(query)
        #expect(page.deployments.map(\.id) == [ids[1]])
        #expect(page.total == 3)
        query = DeploymentQuery()
        query.descending = false
        #expect(try await node.registry.list(query).deployments.map(\.id) == ids)
        // Every transition is kept with its reason.
        let events = try await node.registry.record(ids[1]).events
        #expect(events.map(\.status) == ["Preparing", "Committing", "Provisioning", "Running", "Failed"])
        #expect(events.last?.reason.contains("allocation job failed") == true)
    }

    @Test func pruneRemovesFinishedDeploymentsAndDeleteOneButNeverALiveOne() async throws {
        let cluster = try await DeploymentCluster(providers: [Self.provider])
        let node = cluster.orchestrator
        let done = try await node.deploy(Self.task(exitCode: 0, team: "a"))
        let failed = try await node.deploy(Self.task(exitCode: 1, team: "a"))
        let live = try await node.registry.create(
            try EnsembleParser.parse(
                yaml:
                    "version: V1\nallocations:\n  s: {type: service, executor: null, resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}, execution: {type: null}}\n"
            ),
            timeout: 20)
        _ = try await node.waitFor(live, [.running])
        #expect(try await node.registry.prune(before: Date().timeIntervalSince1970 - 3600).isEmpty)
        await #expect(throws: OrchestratorError.notLive(live, .running)) { try await node.registry.delete(live) }
        try await node.registry.delete(done.id)
        await #expect(throws: OrchestratorError.notFound(done.id)) { try await node.registry.record(done.id) }
        #expect(try await node.registry.prune(before: nil) == [failed.id])
        #expect(try await node.registry.list(DeploymentQuery()).deployments.map(\.id) == [live])
        try await node.registry.shutdown(live)
        #expect(try await node.registry.prune(before: nil) == [live])
    }
}
