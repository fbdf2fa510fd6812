import DMSCore

/// Placement of an ensemble's nodes onto the providers that answered its bid request: a pure function,
/// deterministic for the same input, that packs several nodes onto one provider when its free resources
/// allow and explains every node it cannot place.
public enum Matching {
    /// Offer checks the backtracking search may spend before settling for the best-fit result: about
    /// 40 ms in a release build; placing a thousand nodes over a thousand offers once takes a million.
    static let searchBudget = 4_000_000

    /// Places every node or explains, for each node it could not place, why every provider was rejected.
    /// Best fit in most-constrained-first order; when that leaves out a node that could have gone
    /// somewhere, a bounded backtracking search looks for a placement of all of them. A node goes only to
    /// an offer that is not in `excludedPeers`, is its pinned peer if it has one (a pin overrides
    /// location rules) or else passes its location rules, and offers all its executors; the nodes on
    /// one provider together fit its free resources (GPU cards assigned as the provider will), its port
    /// range and its free ports. `declines` (peer to its reason for not bidding) are listed among every
    /// unplaced node's rejections. Node names are unique, as in an ensemble.
    ///
    /// Of the offers a node may use, it goes to the cheapest by its terms (the estimated cost of its run
    /// time at the provider's price), then the best fit. Offers must meet the node's terms (price
    /// ceilings, run time, connectivity, localities; availability when `now`, in Unix seconds, is given).
    public static func place(
        _ nodes: [NodeDemand], offers: [Offer], excludedPeers: Set<String> = [], declines: [String: String] = [:],
        now: Int64? = nil
    ) -> Placement {
        place(
            nodes, offers: offers, excludedPeers: excludedPeers, declines: declines, now: now,
            searchBudget: searchBudget)
    }

    /// `place` with the backtracking search limited to `searchBudget` offer checks.
    static func place(
        _ nodes: [NodeDemand], offers: [Offer], excludedPeers: Set<String>, declines: [String: String],
        now: Int64? = nil, searchBudget: Int
    ) -> Placement {
        let problem = MatchingProblem(nodes: nodes, offers: offers, excludedPeers: excludedPeers, now: now)
        var state = MatchingSearch.greedy(problem)
        let placeable = nodes.indices.count(where: problem.hasCandidates)
        if state.placedCount < placeable, let complete = MatchingSearch.complete(problem, budget: searchBudget) {
            state = complete
        }
        var assignment: [String: String] = [:]
        var rejections: [String: [Rejection]] = [:]
        var estimates: [String: CostEstimate] = [:]
        let declined = declines.filter { problem.offerIndex(of: $0.key) == nil }.map {
            Rejection(peer: $0.key, reason: $0.value)
        }
        for (node, demand) in nodes.enumerated() {
            if let offer = state.host[node] {
                assignment[demand.name] = problem.offers[offer].peer
                estimates[demand.name] = problem.estimates[problem.termsOf[node] * problem.offers.count + offer]
                continue
            }
            // Every offer rejects the node: either it had no candidate, or the greedy result stands and
            // the node fitted nowhere when its turn came, with less taken than now.
            var reasons = problem.offers.indices.compactMap { offer in
                RejectionReasons.reason(node, on: offer, problem, state).map {
                    Rejection(peer: problem.offers[offer].peer, reason: $0)
                }
            }
            reasons += declined
            if let pinned = demand.pinnedPeer, problem.offerIndex(of: pinned) == nil, declines[pinned] == nil {
                reasons.append(Rejection(peer: pinned, reason: RejectionReasons.pinnedPeerSilent))
            }
            rejections[demand.name] = reasons.sorted { $0.peer < $1.peer }
        }
        return Placement(assignment: assignment, rejections: rejections, estimates: estimates)
    }
}
