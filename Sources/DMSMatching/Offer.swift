import DMSCore
import DMSEnsemble

/// A provider's answer to a bid request: what it can host now. Bids are signed and checked before
/// matching; matching trusts the numbers.
public struct Offer: Sendable, Equatable {
    /// The Go DMS's default range of public ports a provider hands out.
    public static let defaultPortRange = 16384...65535

    public var peer: String
    /// What is neither committed nor allocated. GPUs are the provider's cards, each with its free VRAM.
    public var free: Resources
    /// Where the provider is; nil when unknown, which only nodes without location rules accept.
    public var location: Location?
    public var executors: Set<ExecutorKind>
    /// The public ports the provider hands out.
    public var portRange: ClosedRange<Int>
    /// Ports in the range that are taken already.
    public var reservedPorts: Set<Int>

    public init(
        peer: String, free: Resources, location: Location? = nil, executors: Set<ExecutorKind>,
        portRange: ClosedRange<Int> = Offer.defaultPortRange, reservedPorts: Set<Int> = []
    ) {
        self.peer = peer
        self.free = free
        self.location = location
        self.executors = executors
        self.portRange = portRange
        self.reservedPorts = reservedPorts
    }
}
