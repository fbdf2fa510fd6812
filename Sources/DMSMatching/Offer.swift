import DMSCore
import DMSEnsemble

/// A provider's answer to a bid request: what it can host now and on what terms. Bids are signed and
/// checked before matching; matching trusts the numbers.
public struct Offer: Sendable, Equatable {
    /// The Go DMS's default range of public ports a provider hands out.
    public static let defaultPortRange = 16384...65535

    public var peer: String
    /// The provider's offer as a Capability: its free resources (GPUs are its cards, each with its free
    /// VRAM) and its terms: prices, the longest job it takes and its availability, connectivity,
    /// localities, job types.
    public var capability: ComputeCapability
    /// Where the provider is; nil when unknown, which only nodes without location rules accept.
    public var location: Location?
    public var executors: Set<ExecutorKind>
    /// The public ports the provider hands out.
    public var portRange: ClosedRange<Int>
    /// Ports in the range that are taken already.
    public var reservedPorts: Set<Int>

    /// What is neither committed nor allocated.
    public var free: Resources {
        get { capability.resources }
        set { capability.resources = newValue }
    }

    /// An offer of `capability`, whose executors the matching knows by kind.
    public init(
        peer: String, capability: ComputeCapability, location: Location? = nil,
        portRange: ClosedRange<Int> = Offer.defaultPortRange, reservedPorts: Set<Int> = []
    ) {
        self.peer = peer
        self.capability = capability
        self.location = location
        self.executors = Set(capability.executors.compactMap(ExecutorKind.init(rawValue:)))
        self.portRange = portRange
        self.reservedPorts = reservedPorts
    }

    /// A free offer without terms: `free` resources and `executors`, public ports in `portRange`.
    public init(
        peer: String, free: Resources, location: Location? = nil, executors: Set<ExecutorKind>,
        portRange: ClosedRange<Int> = Offer.defaultPortRange, reservedPorts: Set<Int> = []
    ) {
        let capability = ComputeCapability(
            executors: executors.map(\.rawValue).sorted(), resources: free,
            connectivity: .init(publicPorts: true))
        self.init(
            peer: peer, capability: capability, location: location, portRange: portRange,
            reservedPorts: reservedPorts)
    }
}
