import DMSCore
import DMSResources
import DMSStore
import Foundation
import Logging
import NunetTestSupport
import Synchronization
import Testing

@Suite struct OnboardingRulesTests {
    let gib: UInt64 = 1_073_741_824
    var machine: Resources {
        Resources(
            cpu: CPUResources(cores: 4, clockSpeed: 3e9), ram: 24 * gib, disk: 200 * gib,
            gpus: [GPU(index: 0, vendor: .nvidia, model: "RTX 4090", vram: 24 * gib)])
    }

    @Test func aReasonableRequestPasses() {
        let request = OnboardingRequest(cores: 2, ram: 4 * gib, disk: 20 * gib, gpus: [.init(index: 0, vram: 8 * gib)])
        #expect(OnboardingRules.capacityViolations(request, machine: machine, diskAvailable: 100 * gib).isEmpty)
        let resources = OnboardingRules.resources(for: request, machine: machine)
        #expect(resources.cpu.clockSpeed == 3e9)
        #expect(resources.gpus == [GPU(index: 0, vendor: .nvidia, model: "RTX 4090", vram: 8 * gib)])
    }

    @Test(arguments: [
        (OnboardingRequest(cores: 0.00001, ram: 4 << 30, disk: 1 << 30), "cpu 0 cores is below the minimum of 1 core"),
        (OnboardingRequest(cores: 5, ram: 4 << 30, disk: 1 << 30), "cpu 5 cores exceeds the 4 cores of this machine"),
        (OnboardingRequest(cores: 1, ram: 1 << 30, disk: 1 << 30), "ram 1 GiB is below 10% of 24 GiB"),
        (OnboardingRequest(cores: 1, ram: 30 << 30, disk: 1 << 30), "ram 30 GiB exceeds 90% of 24 GiB"),
        (OnboardingRequest(cores: 1, ram: 4 << 30, disk: 0), "disk must be more than 0"),
        (OnboardingRequest(cores: 1, ram: 4 << 30, disk: 500 << 30), "disk 500 GiB exceeds the 100 GiB"),
        (
            OnboardingRequest(cores: 1, ram: 4 << 30, disk: 1 << 30, gpus: [.init(index: 3, vram: 1 << 30)]),
            "gpu index 3 does not exist (this machine has GPUs 0)"
        ),
        (
            OnboardingRequest(cores: 1, ram: 4 << 30, disk: 1 << 30, gpus: [.init(index: 0, vram: 23 << 30)]),
            "gpu 0 vram 23 GiB exceeds 90% of 24 GiB (RTX 4090 VRAM)"
        ),
        (
            OnboardingRequest(cores: 1, ram: 4 << 30, disk: 1 << 30, gpus: [.init(index: 0, vram: 1 << 30)]),
            "gpu 0 vram 1 GiB is below 10% of 24 GiB"
        ),
        (
            OnboardingRequest(
                cores: 1, ram: 4 << 30, disk: 1 << 30,
                gpus: [.init(index: 0, vram: 4 << 30), .init(index: 0, vram: 4 << 30)]),
            "gpu 0 is listed twice"
        ),
    ])
    func eachCapacityRuleNamesTheNumbers(request: OnboardingRequest, violation: String) {
        let violations = OnboardingRules.capacityViolations(request, machine: machine, diskAvailable: 100 * gib)
        #expect(violations.contains { $0.contains(violation) }, "\(violations)")
    }

    @Test func usageRulesCheckMemoryThatIsFreeNow() {
        var free = machine
        free.ram = 2 * gib
        free.gpus[0].vram = 2 * gib
        let violations = OnboardingRules.usageViolations(
            OnboardingRequest(cores: 4, ram: 4 * gib, disk: gib, gpus: [.init(index: 0, vram: 8 * gib)]), free: free)
        #expect(
            violations == [
                "ram 4 GiB requested but only 2 GiB is free", "gpu 0 vram 8 GiB requested but only 2 GiB is free",
            ])
    }

    @Test(arguments: ["0", "x:1", "0:12 XB", "-1:4", ""])
    func badGPUListsAreRefused(text: String) {
        #expect(throws: Units.ParseError.self) { try OnboardingRequest.parseGPUs(text) }
    }

    @Test func gpuListsParse() throws {
        #expect(
            try OnboardingRequest.parseGPUs("0:8GB, 1:4GiB") == [
                .init(index: 0, vram: 8_000_000_000), .init(index: 1, vram: 4 * gib),
            ])
    }
}

@Suite struct OnboardingFlowTests {
    let directory = TemporaryDirectory()
    let machine = MachineFixture(cores: 4, memTotalKB: 16 * 1024 * 1024, memAvailableKB: 12 * 1024 * 1024)
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    func onboarding(files: SystemFiles? = nil) throws -> Onboarding {
        let manager = try ResourceManager(
            repository: ResourceRepository(store: try Store.open(inDirectory: directory.path)))
        return Onboarding(
            manager: manager,
            hardware: HardwareMonitor(files: files ?? machine.files, dataDirectory: directory.path, nvidiaSMI: nil),
            logger: logger)
    }

    @Test func onboardRecordsTheOfferAndRefusalsChangeNothing() async throws {
        let onboarding = try onboarding()
        let offered = try await onboarding.onboard(OnboardingRequest(cores: 2, ram: 4 << 30, disk: 1 << 30))
        #expect(offered.cpu == CPUResources(cores: 2, clockSpeed: 3.6e9))
        let error = await #expect(throws: OnboardingError.self) {
            try await onboarding.onboard(OnboardingRequest(cores: 8, ram: 4 << 30, disk: 1 << 30))
        }
        #expect(error?.description == "capacity not met: cpu 8 cores exceeds the 4 cores of this machine")
        #expect(await onboarding.manager.onboardedResources == offered)
        let busy = await #expect(throws: OnboardingError.self) {
            try await onboarding.onboard(OnboardingRequest(cores: 2, ram: 13 << 30, disk: 1 << 30))
        }
        #expect(
            busy?.description.hasPrefix("machine has high usage: ram 13 GiB requested but only 12 GiB is free") == true)
    }

    @Test func offboardingIsRefusedWhileAllocationsRunUnlessForced() async throws {
        let onboarding = try onboarding()
        _ = try await onboarding.onboard(OnboardingRequest(cores: 2, ram: 4 << 30, disk: 1 << 30))
        try await onboarding.manager.commit(
            "job-1", demand: Resources(cpu: CPUResources(cores: 1)), expiresAt: Date().timeIntervalSince1970 + 60)
        try await onboarding.manager.allocate("job-1")
        try await onboarding.manager.commit(
            "job-2", demand: Resources(cpu: CPUResources(cores: 0.5)), expiresAt: Date().timeIntervalSince1970 + 60)
        await #expect(throws: OnboardingError.allocationsRunning(["job-1"])) {
            try await onboarding.offboard(force: false)
        }
        #expect(await onboarding.manager.isOnboarded)
        let stopped = Recorder()
        try await onboarding.offboard(force: true) { ids in stopped.record(ids.joined(separator: ",")) }
        #expect(stopped.all == ["job-1"])
        let snapshot = await onboarding.manager.snapshot
        #expect(snapshot.onboarded == nil && snapshot.allocationIDs.isEmpty && snapshot.commitmentIDs.isEmpty)
        await #expect(throws: OnboardingError.notOnboarded) { try await onboarding.offboard(force: false) }
    }

    @Test func revalidationOffboardsWhenTheMachineShrankButNotWhenItIsBusy() async throws {
        let first = try onboarding()
        _ = try await first.onboard(OnboardingRequest(cores: 3, ram: 8 << 30, disk: 1 << 30))
        // Busy but unchanged: stays onboarded.
        let busy = MachineFixture(cores: 4, memTotalKB: 16 * 1024 * 1024, memAvailableKB: 1024)
        #expect(await (try onboarding(files: busy.files)).revalidate() == nil)
        // Two cores were taken away: offboarded with the reason.
        let shrunk = MachineFixture(cores: 2, memTotalKB: 16 * 1024 * 1024)
        let revalidating = try onboarding(files: shrunk.files)
        let reason = await revalidating.revalidate()
        #expect(reason == "capacity not met: cpu 3 cores exceeds the 2 cores of this machine")
        #expect(await !revalidating.manager.isOnboarded)
    }
}

/// Records values from concurrent code.
final class Recorder: Sendable {
    private let values = Mutex<[String]>([])
    func record(_ value: String) { values.withLock { $0.append(value) } }
    var all: [String] { values.withLock { $0 } }
}
