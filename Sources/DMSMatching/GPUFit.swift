import DMSCore

/// Whether GPU demands can each get a distinct card that satisfies them: the rule of
/// `Resources.placement(of:)`, answered without building shortfall text or an assignment, for the
/// search's inner loop.
enum GPUFit {
    static func fits(_ demands: [GPU], on cards: [GPU]) -> Bool {
        if demands.isEmpty { return true }
        if demands.count > cards.count { return false }
        if demands.count == 1 { return cards.contains { $0.satisfies(demands[0]) } }
        // Bipartite matching by augmenting paths: finds an assignment whenever one exists.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: cards.count) { owner in
            owner.initialize(repeating: -1)
            return withUnsafeTemporaryAllocation(of: Bool.self, capacity: cards.count) { visited in
                for demand in demands.indices {
                    visited.initialize(repeating: false)
                    guard augment(demand, demands, cards, owner, visited) else { return false }
                }
                return true
            }
        }
    }

    private static func augment(
        _ demand: Int, _ demands: [GPU], _ cards: [GPU], _ owner: UnsafeMutableBufferPointer<Int>,
        _ visited: UnsafeMutableBufferPointer<Bool>
    ) -> Bool {
        for card in cards.indices where !visited[card] && cards[card].satisfies(demands[demand]) {
            visited[card] = true
            if owner[card] < 0 || augment(owner[card], demands, cards, owner, visited) {
                owner[card] = demand
                return true
            }
        }
        return false
    }
}
