import DMSCore
import DMSEnsemble
import DMSMatching

/// Builders for matching tests: sizes in GiB, cores as given, Docker unless told otherwise.
enum MatchingFixtures {
    static let gib: UInt64 = 1 << 30

    static func node(
        _ name: String, cores: Double = 1, ram: UInt64 = 1, disk: UInt64 = 0, gpus: [UInt64] = [],
        executors: Set<ExecutorKind> = [.docker], location: LocationConstraint = .init(), pinnedPeer: String? = nil,
        staticPorts: [Int] = [], dynamicPorts: Int = 0
    ) -> NodeDemand {
        NodeDemand(
            name: name,
            resources: Resources(
                cpu: CPUResources(cores: cores), ram: ram * gib, disk: disk * gib,
                gpus: gpus.map { GPU(vendor: .nvidia, vram: $0 * gib) }),
            executors: executors, location: location, pinnedPeer: pinnedPeer, staticPorts: staticPorts,
            dynamicPorts: dynamicPorts)
    }

    static func offer(
        _ peer: String, cores: Double = 8, ram: UInt64 = 16, disk: UInt64 = 100, gpus: [UInt64] = [],
        location: Location? = nil, executors: Set<ExecutorKind> = [.docker],
        portRange: ClosedRange<Int> = Offer.defaultPortRange, reservedPorts: Set<Int> = [],
        terms: ComputeCapability? = nil
    ) -> Offer {
        var offer = Offer(
            peer: peer,
            free: Resources(
                cpu: CPUResources(cores: cores), ram: ram * gib, disk: disk * gib,
                gpus: gpus.enumerated().map { GPU(index: $0.offset, vendor: .nvidia, vram: $0.element * gib) }),
            location: location, executors: executors, portRange: portRange, reservedPorts: reservedPorts)
        if var capability = terms {
            capability.resources = offer.free
            capability.executors = offer.capability.executors
            offer.capability = capability
        }
        return offer
    }

    /// Four one-core providers in four places and four nodes each accepting two of the places, such that
    /// best fit in name order (w on b, x on a, y on c) leaves z with nothing while w-b, x-a, y-d, z-c fits.
    static func crossedLocations() -> (nodes: [NodeDemand], offers: [Offer]) {
        func only(_ places: Location...) -> LocationConstraint { LocationConstraint(accept: places) }
        return (
            [
                node("w", location: only(paris, nairobi)), node("x", location: only(berlin, paris)),
                node("y", location: only(tokyo, nairobi)), node("z", location: only(berlin, tokyo)),
            ],
            [
                offer("a", cores: 1, location: berlin), offer("b", cores: 1, location: paris),
                offer("c", cores: 1, location: tokyo), offer("d", cores: 1, location: nairobi),
            ]
        )
    }

    static let berlin = Location(continent: "Europe", country: "DE", city: "Berlin")
    static let paris = Location(continent: "Europe", country: "FR", city: "Paris")
    static let tokyo = Location(continent: "Asia", country: "JP", city: "Tokyo")
    static let nairobi = Location(continent: "Africa", country: "KE", city: "Nairobi")
}
