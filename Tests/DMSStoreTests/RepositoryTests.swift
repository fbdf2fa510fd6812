import DMSCore
import DMSStore
import Foundation
import NunetTestSupport
import Testing

/// Each repository against a real SQLite file: what is saved is what a reopened store reads back.
@Suite struct RepositoryTests {
    let directory = TemporaryDirectory()

    func deployment(
        _ id: String, status: String, created: Double, completed: Double? = nil, metadata: [String: String] = [:]
    )
        -> StoredDeployment
    {
        StoredDeployment(
            id: id, status: status, createdAt: created, updatedAt: created, completedAt: completed, metadata: metadata,
            record: #"{"id":"\#(id)"}"#)
    }

    @Test func deploymentsKeepTheirEventsInOrderAcrossAReopen() throws {
        let store = try Store.open(inDirectory: directory.path)
        let repository = DeploymentRepository(store: store)
        var saved = deployment("d1", status: "Preparing", created: 10)
        try repository.save(saved, event: DeploymentEvent(at: 10, status: "Preparing", reason: "requested"))
        saved.status = "Running"
        saved.updatedAt = 12
        try repository.save(saved, event: DeploymentEvent(at: 12, status: "Running", reason: "all started"))
        try store.close()

        let reopened = DeploymentRepository(store: try Store.open(inDirectory: directory.path))
        #expect(try reopened.load("d1") == saved)
        #expect(try reopened.events(of: "d1").map(\.status) == ["Preparing", "Running"])
        #expect(try reopened.load("missing") == nil)
    }

    @Test func listFiltersSortsAndPages() throws {
        let repository = DeploymentRepository(store: try Store.open(inDirectory: directory.path))
        try repository.save(deployment("a", status: "Completed", created: 1, completed: 2, metadata: ["team": "x"]))
        try repository.save(deployment("b", status: "Failed", created: 2, completed: 3, metadata: ["team": "y"]))
        try repository.save(deployment("c", status: "Running", created: 3, metadata: ["team": "x"]))

        #expect(try repository.list(DeploymentQuery()).deployments.map(\.id) == ["c", "b", "a"])
        var query = DeploymentQuery()
        query.statuses = ["Completed", "Running"]
        #expect(try repository.list(query).deployments.map(\.id) == ["c", "a"])
        query = DeploymentQuery()
        query.metadata = ["team": "x"]
        query.descending = false
        #expect(try repository.list(query).deployments.map(\.id) == ["a", "c"])
        query = DeploymentQuery()
        query.limit = 1
        query.offset = 1
        let page = try repository.list(query)
        #expect(page.deployments.map(\.id) == ["b"])
        #expect(page.total == 3)
        #expect(try repository.all(statuses: ["Running"]).map(\.id) == ["c"])
    }

    /// Prune removes only finished deployments, and their history with them; live ones stay.
    @Test func pruneAndDeleteRemoveFinishedDeploymentsWithTheirHistory() throws {
        let repository = DeploymentRepository(store: try Store.open(inDirectory: directory.path))
        try repository.save(
            deployment("old", status: "Completed", created: 1, completed: 5),
            event: DeploymentEvent(at: 5, status: "Completed", reason: "done"))
        try repository.save(deployment("new", status: "Completed", created: 20, completed: 30))
        try repository.save(deployment("live", status: "Running", created: 2))

        #expect(try repository.prune(before: 10) == ["old"])
        #expect(try repository.events(of: "old").isEmpty)
        #expect(try repository.prune(before: nil) == ["new"])
        #expect(try repository.delete("live"))
        #expect(try !repository.delete("live"))
        #expect(try repository.all().isEmpty)
    }

    @Test func providerAllocationsAreReplacedByIDAndDeleted() throws {
        let store = try Store.open(inDirectory: directory.path)
        let repository = ProviderAllocationRepository(store: store)
        try repository.save(StoredAllocation(id: "x", ensembleID: "e", status: "pending", record: "{}"))
        try repository.save(StoredAllocation(id: "x", ensembleID: "e", status: "running", record: #"{"run":1}"#))
        try repository.save(StoredAllocation(id: "y", ensembleID: "e", status: "pending", record: "{}"))
        try store.close()

        let reopened = ProviderAllocationRepository(store: try Store.open(inDirectory: directory.path))
        let all = try reopened.all().sorted { $0.id < $1.id }
        #expect(all.map(\.status) == ["running", "pending"])
        #expect(all.first?.record == #"{"run":1}"#)
        try reopened.delete("x")
        #expect(try reopened.all().map(\.id) == ["y"])
    }

    /// A commitment becomes an allocation in place; offboarding drops the holds it names in the same write.
    @Test func resourceHoldsMoveFromCommittedToAllocated() throws {
        let store = try Store.open(inDirectory: directory.path)
        let repository = ResourceRepository(store: store)
        let offer = Resources(cpu: CPUResources(cores: 2), ram: 4 << 30, disk: 10 << 30)
        try repository.setOnboarded(offer)
        try repository.insertCommitment(
            ResourceHold(allocationID: "a1", resources: Resources(cpu: CPUResources(cores: 1)), expiresAt: 99))
        try repository.insertCommitment(ResourceHold(allocationID: "a2", resources: Resources(ram: 1 << 30)))
        try repository.allocate("a1")
        #expect(throws: StoreError.self) { try repository.allocate("never-committed") }
        try store.close()

        let reopened = ResourceRepository(store: try Store.open(inDirectory: directory.path))
        var state = try reopened.load()
        #expect(state.onboarded == offer)
        #expect(state.commitments.map(\.allocationID) == ["a2"])
        #expect(state.allocations.map(\.allocationID) == ["a1"])
        try reopened.setOnboarded(nil, removing: ["a1", "a2"])
        state = try reopened.load()
        #expect(state.onboarded == nil)
        #expect(state.commitments.isEmpty && state.allocations.isEmpty)
    }
}
