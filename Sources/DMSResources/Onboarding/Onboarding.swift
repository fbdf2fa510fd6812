import DMSCore
import Foundation
import Logging

/// Onboarding and offboarding: validates a request against the machine (capacity, then current usage),
/// records what the machine offers through the resource manager, and revalidates at start.
public actor Onboarding {
    public let manager: ResourceManager
    public let hardware: HardwareMonitor
    let logger: Logger

    public init(manager: ResourceManager, hardware: HardwareMonitor, logger: Logger) {
        self.manager = manager
        self.hardware = hardware
        self.logger = logger
    }

    /// Onboards (or re-onboards with new amounts) after checking every rule; returns what is offered.
    public func onboard(_ request: OnboardingRequest) async throws(OnboardingError) -> Resources {
        let spec = hardware.spec()
        let capacity = OnboardingRules.capacityViolations(
            request, machine: spec.resources, diskAvailable: await diskAvailable())
        guard capacity.isEmpty else { throw .capacityNotMet(capacity) }
        let free = hardware.free()
        let usage = OnboardingRules.usageViolations(request, free: free.resources)
        guard usage.isEmpty else { throw .highUsage(usage) }
        let resources = OnboardingRules.resources(for: request, machine: spec.resources)
        do {
            try await manager.onboard(resources)
        } catch {
            throw .failed(error.description)
        }
        logger.info("machine onboarded", metadata: ["resources": "\(resources)"])
        return resources
    }

    /// Withdraws the machine. Running allocations refuse it unless `force`, in which case `stop` ends them
    /// first; commitments and allocations are released in the same transaction as the offboarding.
    public func offboard(force: Bool, stop: @Sendable ([String]) async -> Void = { _ in }) async throws(OnboardingError)
    {
        let snapshot = await manager.snapshot
        guard snapshot.onboarded != nil else { throw .notOnboarded }
        if !snapshot.allocationIDs.isEmpty {
            guard force else { throw .allocationsRunning(snapshot.allocationIDs) }
            await stop(snapshot.allocationIDs)
        }
        do {
            try await manager.offboard(releasing: snapshot.allocationIDs + snapshot.commitmentIDs)
        } catch {
            throw .failed(error.description)
        }
        logger.info("machine offboarded")
    }

    /// At start: a node onboarded beyond what the machine now has (hardware removed, disk filled) is
    /// offboarded with the reason logged and returned; one that is only busy stays onboarded.
    public func revalidate() async -> String? {
        guard let onboarded = await manager.onboardedResources else { return nil }
        let request = OnboardingRequest(
            cores: onboarded.cpu.cores, ram: onboarded.ram, disk: onboarded.disk,
            gpus: onboarded.gpus.map { .init(index: $0.index, vram: $0.vram) })
        let violations = OnboardingRules.capacityViolations(
            request, machine: hardware.spec().resources, diskAvailable: await diskAvailable())
        guard !violations.isEmpty else { return nil }
        let reason = OnboardingError.capacityNotMet(violations).description
        let snapshot = await manager.snapshot
        do {
            try await manager.offboard(releasing: snapshot.allocationIDs + snapshot.commitmentIDs)
            logger.warning(
                "machine offboarded at start: the machine no longer meets what was onboarded",
                metadata: ["reason": "\(reason)"])
        } catch {
            logger.error("could not offboard after failed revalidation: \(error)")
        }
        return reason
    }

    /// Free space of the data directory's filesystem plus the disk already onboarded (which re-onboarding
    /// may keep).
    private func diskAvailable() async -> UInt64 {
        let free = (try? DiskProbe.read(path: hardware.dataDirectory).free) ?? 0
        return free + (await manager.onboardedResources?.disk ?? 0)
    }
}
