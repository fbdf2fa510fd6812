import DMSResources
import DMSStore
import Logging

/// The node's view of its machine: hardware probes, the resource ledger and onboarding.
public struct NodeResources: Sendable {
    public let hardware: HardwareMonitor
    public let manager: ResourceManager
    public let onboarding: Onboarding

    public init(store: Store, hardware: HardwareMonitor, logger: Logger) throws {
        self.hardware = hardware
        manager = try ResourceManager(repository: ResourceRepository(store: store))
        onboarding = Onboarding(manager: manager, hardware: hardware, logger: logger)
    }

    /// Ends running allocations before a forced offboarding. Until executors run allocations, this
    /// releases their resources.
    func stopAllocations(_ ids: [String]) async {
        for id in ids { try? await manager.deallocate(id) }
    }
}
