import DMSCore
import DMSEnsemble
import Foundation

/// A provider's policy for hosting allocations.
public struct ProviderSettings: Sendable {
    /// Where allocations keep their logs and files: `<workDirectory>/<allocation ID>/`.
    public var workDirectory: URL
    /// Declared location, offered in bids (nil: unknown, which only ensembles without location rules
    /// accept).
    public var location: Location?
    public var portRange: ClosedRange<Int>
    /// Fuel for WASM modules that name no budget of their own.
    public var defaultFuel: UInt64
    /// How long a reply to `/dms/allocation/wait` may be held before saying "still running".
    public var maximumWaitHold: Double
    /// Whether ensembles may run privileged containers here; bids asking for it are declined otherwise.
    public var allowPrivilegedContainers: Bool
    /// The terms offered with every bid: prices, the longest job and availability, connectivity, job
    /// types (resources, executors and localities come from the provider's state).
    public var terms: ComputeCapability

    public init(
        workDirectory: URL, location: Location? = nil, portRange: ClosedRange<Int> = 16384...65535,
        defaultFuel: UInt64 = 10_000_000_000, maximumWaitHold: Double = 30, allowPrivilegedContainers: Bool = false,
        terms: ComputeCapability = ComputeCapability(connectivity: .init(publicPorts: true))
    ) {
        self.workDirectory = workDirectory
        self.location = location
        self.portRange = portRange
        self.defaultFuel = defaultFuel
        self.maximumWaitHold = maximumWaitHold
        self.allowPrivilegedContainers = allowPrivilegedContainers
        self.terms = terms
    }
}
