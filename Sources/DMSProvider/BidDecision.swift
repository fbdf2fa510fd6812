import DMSCore
import DMSEnsemble
import DMSMessages

/// Whether a provider answers a bid request with an offer, and if not, why. Pure: the provider's state
/// goes in, the answer comes out. Fitting the nodes into the offer is the orchestrator's matching; the
/// provider declines only what it can never host.
public enum BidDecision {
    public enum Answer: Sendable, Equatable {
        case offer(BidReply.OfferTerms)
        case decline(String)
    }

    public static func decide(
        _ request: BidRequest, peer: String, onboarded: Bool, free: Resources, executors: Set<ExecutorKind>,
        settings: ProviderSettings, reservedPorts: Set<Int>
    ) -> Answer {
        guard onboarded else { return .decline("not onboarded") }
        if request.excludedPeers.contains(peer) { return .decline("excluded by the ensemble") }
        let wanted = Set(request.nodes.flatMap(\.executors))
        if !wanted.isEmpty && wanted.isDisjoint(with: executors) {
            let missing = wanted.subtracting(executors).map(\.rawValue).sorted().joined(separator: ", ")
            return .decline("executor \(missing) not available (this provider runs \(names(executors)))")
        }
        if !settings.allowPrivilegedContainers && request.nodes.contains(where: { $0.privileged == true }) {
            return .decline("privileged containers are not allowed on this provider (docker.allow_privileged)")
        }
        return .offer(
            BidReply.OfferTerms(
                capability: offer(free: free, executors: executors, settings: settings), location: settings.location,
                portRangeFrom: settings.portRange.lowerBound, portRangeTo: settings.portRange.upperBound,
                reservedPorts: reservedPorts.sorted()))
    }

    /// The provider's offer as a Capability: its terms with the free resources, the executors it runs and
    /// its location's continent, country and city as localities.
    static func offer(free: Resources, executors: Set<ExecutorKind>, settings: ProviderSettings) -> ComputeCapability {
        var offer = settings.terms
        offer.resources = free
        offer.executors = executors.map(\.rawValue).sorted()
        if let location = settings.location {
            offer.localities = [
                ("continent", location.continent), ("country", location.country), ("city", location.city),
            ]
            .filter { !$0.1.isEmpty }.map { ComputeCapability.Locality(kind: $0.0, name: $0.1) }
        }
        return offer
    }

    private static func names(_ executors: Set<ExecutorKind>) -> String {
        executors.isEmpty ? "none" : executors.map(\.rawValue).sorted().joined(separator: ", ")
    }
}
