import DMSCore

/// The outcome of matching: where each placed node goes, and for each node that could not be placed,
/// why every provider was turned down, so a user sees what to change instead of a bare "no candidate".
public struct Placement: Sendable, Equatable {
    /// Node name to the peer that hosts it.
    public var assignment: [String: String]
    /// For each node not placed: one rejection per provider that answered (offers and declines, sorted by
    /// peer), plus the pinned peer when it did not answer.
    public var rejections: [String: [Rejection]]
    /// For each placed node: what its provider would charge, by the provider's prices and the node's
    /// expected run time.
    public var estimates: [String: CostEstimate]

    public init(
        assignment: [String: String], rejections: [String: [Rejection]], estimates: [String: CostEstimate] = [:]
    ) {
        self.assignment = assignment
        self.rejections = rejections
        self.estimates = estimates
    }

    /// Whether every node was placed.
    public var isComplete: Bool { rejections.isEmpty }

    /// One line per unplaced node, sorted by name, e.g. `node gpu-box: no fit among 3 providers: peer A:
    /// ram: need 16 GiB, 4 GiB free; peers B, C: executor docker not offered`. Providers turned down for
    /// the same reason share one entry.
    public var explanation: String {
        rejections.keys.sorted().map { node in
            let rejections = rejections[node] ?? []
            guard !rejections.isEmpty else { return "node \(node): no provider answered" }
            var reasons: [String] = []
            var peers: [String: [String]] = [:]
            for rejection in rejections {
                if peers[rejection.reason] == nil { reasons.append(rejection.reason) }
                peers[rejection.reason, default: []].append(rejection.peer)
            }
            let entries = reasons.map { reason in
                let named = peers[reason] ?? []
                return "\(named.count == 1 ? "peer" : "peers") \(named.joined(separator: ", ")): \(reason)"
            }
            let providers = rejections.count == 1 ? "1 provider" : "\(rejections.count) providers"
            return "node \(node): no fit among \(providers): \(entries.joined(separator: "; "))"
        }
        .joined(separator: "\n")
    }
}
