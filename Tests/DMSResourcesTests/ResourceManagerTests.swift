import DMSCore
import DMSResources
import DMSStore
import Foundation
import NunetTestSupport
import Synchronization
import Testing

/// The Go DMS resource-manager cases (reference §9), persistence across restarts, and properties.
@Suite struct ResourceManagerTests {
    let directory = TemporaryDirectory()
    static let farFuture = Date().timeIntervalSince1970 + 3600

    func manager(
        onboarded: Resources? = Resources(cpu: CPUResources(cores: 5, clockSpeed: 10000), ram: 2048, disk: 1024)
    )
        async throws -> ResourceManager
    {
        let manager = try ResourceManager(
            repository: ResourceRepository(store: try Store.open(inDirectory: directory.path)))
        if let onboarded { try await manager.onboard(onboarded) }
        return manager
    }

    let demand = Resources(cpu: CPUResources(cores: 3), ram: 1024, disk: 512)

    @Test func commitsWithinCapacityAndRefusesDuplicatesAndExcess() async throws {
        let manager = try await manager()
        try await manager.commit("a", demand: demand, expiresAt: Self.farFuture)
        #expect(await manager.snapshot.commitmentIDs == ["a"])
        await #expect(throws: ResourceManagerError.alreadyCommitted("a")) {
            try await manager.commit("a", demand: demand, expiresAt: Self.farFuture)
        }
        for excess in [Resources(cpu: CPUResources(cores: 6)), Resources(ram: 4096), Resources(disk: 2048)] {
            let error = await #expect(throws: ResourceManagerError.self) {
                try await manager.commit("b", demand: excess, expiresAt: Self.farFuture)
            }
            #expect(error?.description.hasPrefix("not enough free resources") == true)
        }
        #expect(
            await manager.freeResources
                == Resources(cpu: CPUResources(cores: 2, clockSpeed: 10000), ram: 1024, disk: 512))
    }

    @Test func uncommitAllocateAndDeallocateMoveResourcesBack() async throws {
        let manager = try await manager()
        let onboarded = try #require(await manager.onboardedResources)
        try await manager.commit("a", demand: demand, expiresAt: Self.farFuture)
        try await manager.uncommit("a")
        #expect(await manager.freeResources == onboarded)
        await #expect(throws: ResourceManagerError.notCommitted("ghost")) { try await manager.uncommit("ghost") }
        await #expect(throws: ResourceManagerError.notCommitted("a")) { try await manager.allocate("a") }
        try await manager.commit("a", demand: demand, expiresAt: Self.farFuture)
        try await manager.allocate("a")
        #expect(await manager.snapshot.allocationIDs == ["a"])
        #expect(await manager.snapshot.commitmentIDs.isEmpty)
        await #expect(throws: ResourceManagerError.alreadyAllocated("a")) { try await manager.allocate("a") }
        #expect(await manager.allocatedResources.cpu.cores == 3)
        try await manager.deallocate("a")
        #expect(await manager.freeResources == onboarded)
        await #expect(throws: ResourceManagerError.notAllocated("a")) { try await manager.deallocate("a") }
    }

    @Test func theTotalAllocationIsTheSumOfAllocations() async throws {
        let manager = try await manager(onboarded: Resources(cpu: CPUResources(cores: 7), ram: 3064, disk: 2048))
        try await manager.commit(
            "a", demand: Resources(cpu: CPUResources(cores: 3), ram: 1024, disk: 512), expiresAt: Self.farFuture)
        try await manager.commit(
            "b", demand: Resources(cpu: CPUResources(cores: 2), ram: 1024, disk: 1024), expiresAt: Self.farFuture)
        try await manager.allocate("a")
        try await manager.allocate("b")
        #expect(await manager.allocatedResources == Resources(cpu: CPUResources(cores: 5), ram: 2048, disk: 1536))
    }

    /// 25 concurrent operations of 0.1 core, 10 B RAM and 10 B disk on 50 cores, 2048 B, 1024 B.
    @Test(arguments: ["allocate", "allocate-deallocate", "commit", "commit-uncommit"])
    func concurrentOperationsKeepTheLedgerExact(mode: String) async throws {
        let onboarded = Resources(cpu: CPUResources(cores: 50), ram: 2048, disk: 1024)
        let manager = try await manager(onboarded: onboarded)
        let small = Resources(cpu: CPUResources(cores: 0.1), ram: 10, disk: 10)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<25 {
                group.addTask {
                    let id = "alloc-\(index)"
                    try await manager.commit(id, demand: small, expiresAt: Self.farFuture)
                    switch mode {
                    case "allocate": try await manager.allocate(id)
                    case "allocate-deallocate":
                        try await manager.allocate(id)
                        try await manager.deallocate(id)
                    case "commit-uncommit": try await manager.uncommit(id)
                    default: break
                    }
                }
            }
            try await group.waitForAll()
        }
        let expected = mode.contains("-") ? onboarded : Resources(cpu: CPUResources(cores: 47.5), ram: 1798, disk: 774)
        #expect(await manager.freeResources == expected)
        let snapshot = await manager.snapshot
        for id in snapshot.allocationIDs { try await manager.deallocate(id) }
        for id in snapshot.commitmentIDs { try await manager.uncommit(id) }
        #expect(await manager.freeResources == onboarded)
    }

    @Test func everythingSurvivesARestartAndExpiredCommitmentsAreReleased() async throws {
        let clock = Mutex(Date().timeIntervalSince1970)
        do {
            let manager = try ResourceManager(
                repository: ResourceRepository(store: try Store.open(inDirectory: directory.path)),
                clock: { clock.withLock { $0 } })
            try await manager.onboard(Resources(cpu: CPUResources(cores: 5), ram: 2048, disk: 1024))
            try await manager.commit("running", demand: demand, expiresAt: Self.farFuture)
            try await manager.allocate("running")
            try await manager.commit(
                "pending", demand: Resources(cpu: CPUResources(cores: 1)), expiresAt: Self.farFuture)
            try await manager.commit("stale", demand: Resources(ram: 100), expiresAt: clock.withLock { $0 } + 60)
        }
        clock.withLock { $0 += 120 }
        let restarted = try ResourceManager(
            repository: ResourceRepository(store: try Store.open(inDirectory: directory.path)),
            clock: { clock.withLock { $0 } })
        let snapshot = await restarted.snapshot
        #expect(snapshot.onboarded == Resources(cpu: CPUResources(cores: 5), ram: 2048, disk: 1024))
        #expect(snapshot.allocationIDs == ["running"])
        #expect(snapshot.commitmentIDs == ["pending"])
        #expect(snapshot.free == Resources(cpu: CPUResources(cores: 1), ram: 1024, disk: 512))
        clock.withLock { $0 += 7200 }
        #expect(try await restarted.sweepExpired() == ["pending"])
    }

    @Test func onboardingBelowWhatIsInUseAndHalfOffboardingAreRefused() async throws {
        let manager = try await manager()
        try await manager.commit("a", demand: demand, expiresAt: Self.farFuture)
        try await manager.allocate("a")
        let error = await #expect(throws: ResourceManagerError.self) {
            try await manager.onboard(Resources(cpu: CPUResources(cores: 1), ram: 2048, disk: 1024))
        }
        #expect(error?.description.contains("would not cover") == true)
        await #expect(throws: ResourceManagerError.self) { try await manager.offboard(releasing: []) }
        #expect(await manager.isOnboarded)
        try await manager.offboard(releasing: ["a"])
        #expect(await !manager.isOnboarded)
        #expect(await manager.snapshot.allocationIDs.isEmpty)
        await #expect(throws: ResourceManagerError.notOnboarded) { try await manager.offboard(releasing: []) }
        await #expect(throws: ResourceManagerError.notOnboarded) {
            try await manager.commit("b", demand: demand, expiresAt: Self.farFuture)
        }
    }

    /// Property: whatever sequence of operations, free never exceeds onboarded and never goes negative.
    @Test func freeNeverExceedsOnboardedUnderRandomOperations() async throws {
        let onboarded = Resources(cpu: CPUResources(cores: 8), ram: 1 << 20, disk: 1 << 20)
        let manager = try await manager(onboarded: onboarded)
        var generator = SystemRandomNumberGenerator()
        for step in 0..<300 {
            let id = "a\(Int.random(in: 0..<12, using: &generator))"
            switch Int.random(in: 0..<4, using: &generator) {
            case 0:
                _ = try? await manager.commit(
                    id,
                    demand: Resources(
                        cpu: CPUResources(cores: Double(Int.random(in: 1...300, using: &generator)) / 100),
                        ram: UInt64.random(in: 0...1 << 18, using: &generator),
                        disk: UInt64.random(in: 0...1 << 18, using: &generator)),
                    expiresAt: Self.farFuture)
            case 1: try? await manager.uncommit(id)
            case 2: try? await manager.allocate(id)
            default: try? await manager.deallocate(id)
            }
            let free = await manager.freeResources
            #expect(free.cpu.cores >= 0 && free.cpu.cores <= onboarded.cpu.cores, "step \(step)")
            #expect(free.ram <= onboarded.ram && free.disk <= onboarded.disk, "step \(step)")
            let used = try (await manager.snapshot.committed).adding(await manager.allocatedResources)
            #expect(try free.adding(used).ram == onboarded.ram)
        }
    }
}
