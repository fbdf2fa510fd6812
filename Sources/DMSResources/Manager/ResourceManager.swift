import DMSCore
import DMSStore
import Foundation

/// The node's ledger of resources: onboarded, committed to accepted bids (until they expire), allocated
/// to running allocations, and free = onboarded − committed − allocated. Every change is written to the
/// store in one transaction before memory is updated, so a failed write changes nothing and a restart
/// restores exactly what was recorded (expired commitments are dropped).
public actor ResourceManager {
    public struct Snapshot: Sendable, Equatable {
        public let onboarded: Resources?
        public let committed: Resources
        public let allocated: Resources
        public let free: Resources
        public let commitmentIDs: [String]
        public let allocationIDs: [String]
    }

    private let repository: ResourceRepository
    private let clock: @Sendable () -> Double
    private var onboarded: Resources?
    private var commitments: [String: ResourceHold] = [:]
    private var allocations: [String: ResourceHold] = [:]

    /// Loads the recorded state; commitments that expired while the node was down are released.
    public init(
        repository: ResourceRepository, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    )
        throws(ResourceManagerError)
    {
        self.repository = repository
        self.clock = clock
        let state: ResourceState
        do throws(StoreError) {
            state = try repository.load()
        } catch {
            throw .store(error)
        }
        onboarded = state.onboarded
        let now = clock()
        let (live, expired) = (
            state.commitments.filter { ($0.expiresAt ?? 0) > now },
            state.commitments.filter { ($0.expiresAt ?? 0) <= now }
        )
        for hold in live { commitments[hold.allocationID] = hold }
        for hold in state.allocations { allocations[hold.allocationID] = hold }
        if !expired.isEmpty {
            do throws(StoreError) {
                try repository.deleteCommitments(expired.map(\.allocationID))
            } catch {
                throw .store(error)
            }
        }
    }

    public var snapshot: Snapshot {
        let committed = Self.total(commitments.values)
        let allocated = Self.total(allocations.values)
        return Snapshot(
            onboarded: onboarded, committed: committed, allocated: allocated, free: freeResources,
            commitmentIDs: commitments.keys.sorted(), allocationIDs: allocations.keys.sorted())
    }

    public var onboardedResources: Resources? { onboarded }
    public var isOnboarded: Bool { onboarded != nil }

    /// Onboarded minus everything committed and allocated.
    public var freeResources: Resources {
        guard let onboarded else { return .zero }
        // Holds are only admitted against free resources, so the subtraction cannot fail.
        return (try? onboarded.subtracting(Self.total(holds))) ?? .zero
    }

    public var allocatedResources: Resources { Self.total(allocations.values) }

    private var holds: [ResourceHold] { Array(commitments.values) + Array(allocations.values) }

    public func allocation(_ id: String) -> Resources? { allocations[id]?.resources }

    /// Sets what the machine offers; it must still cover every commitment and allocation.
    public func onboard(_ resources: Resources) throws(ResourceManagerError) {
        do throws(ResourceError) {
            _ = try resources.subtracting(Self.total(holds))
        } catch {
            throw .belowInUse(error)
        }
        try persist { () throws(StoreError) in try repository.setOnboarded(resources) }
        onboarded = resources
    }

    /// Withdraws the machine. `releasing` lists the holds to drop in the same transaction; any hold left
    /// out makes the call fail, so the node is never half-offboarded.
    public func offboard(releasing ids: [String]) throws(ResourceManagerError) {
        guard onboarded != nil else { throw .notOnboarded }
        let held = Set(commitments.keys).union(allocations.keys)
        guard held.isSubset(of: ids) else {
            throw .belowInUse(ResourceError(["\(held.subtracting(ids).count) holds are still in use"]))
        }
        try persist { () throws(StoreError) in try repository.setOnboarded(nil, removing: Array(held)) }
        onboarded = nil
        commitments = [:]
        allocations = [:]
    }

    /// Reserves `demand` for allocation `id` until `expiresAt` (Unix seconds). GPUs in the demand are
    /// assigned to free cards; the reserved resources (with the cards chosen) are returned.
    @discardableResult
    public func commit(_ id: String, demand: Resources, expiresAt: Double) throws(ResourceManagerError) -> Resources {
        guard onboarded != nil else { throw .notOnboarded }
        guard commitments[id] == nil else { throw .alreadyCommitted(id) }
        guard allocations[id] == nil else { throw .alreadyAllocated(id) }
        let placed: Resources
        do throws(ResourceError) {
            placed = try freeResources.placement(of: demand)
        } catch {
            throw .insufficient(error)
        }
        let hold = ResourceHold(allocationID: id, resources: placed, expiresAt: expiresAt)
        try persist { () throws(StoreError) in try repository.insertCommitment(hold) }
        commitments[id] = hold
        return placed
    }

    public func uncommit(_ id: String) throws(ResourceManagerError) {
        guard commitments[id] != nil else { throw .notCommitted(id) }
        try persist { () throws(StoreError) in try repository.deleteCommitments([id]) }
        commitments[id] = nil
    }

    /// Turns the commitment of `id` into an allocation.
    public func allocate(_ id: String) throws(ResourceManagerError) {
        guard allocations[id] == nil else { throw .alreadyAllocated(id) }
        guard let hold = commitments[id] else { throw .notCommitted(id) }
        try persist { () throws(StoreError) in try repository.allocate(id) }
        commitments[id] = nil
        allocations[id] = ResourceHold(allocationID: id, resources: hold.resources)
    }

    public func deallocate(_ id: String) throws(ResourceManagerError) {
        guard allocations[id] != nil else { throw .notAllocated(id) }
        try persist { () throws(StoreError) in try repository.deleteAllocation(id) }
        allocations[id] = nil
    }

    /// Releases commitments whose time is up; returns their allocation IDs.
    @discardableResult
    public func sweepExpired() throws(ResourceManagerError) -> [String] {
        let now = clock()
        let expired = commitments.values.filter { ($0.expiresAt ?? 0) <= now }.map(\.allocationID)
        guard !expired.isEmpty else { return [] }
        try persist { () throws(StoreError) in try repository.deleteCommitments(expired) }
        for id in expired { commitments[id] = nil }
        return expired.sorted()
    }

    private func persist(_ write: () throws(StoreError) -> Void) throws(ResourceManagerError) {
        do {
            try write()
        } catch {
            throw .store(error)
        }
    }

    static func total(_ holds: some Sequence<ResourceHold>) -> Resources {
        holds.reduce(Resources.zero) { (try? $0.adding($1.resources)) ?? $0 }
    }
}
