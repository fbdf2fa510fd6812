import Testing

@testable import DMSMatching

/// The backtracking search's limit: when it runs out, the best-fit result stands, and it is still
/// correct and fully explained.
@Suite struct MatchingBudgetTests {
    typealias F = MatchingFixtures

    @Test func withoutBudgetTheBestFitResultStandsAndIsExplained() {
        let (nodes, offers) = F.crossedLocations()
        let placement = Matching.place(nodes, offers: offers, excludedPeers: [], declines: [:], searchBudget: 0)
        #expect(placement.assignment == ["w": "b", "x": "a", "y": "c"])
        #expect(
            placement.rejections["z"] == [
                Rejection(peer: "a", reason: "cpu: need 1 core, 0 free (with node x placed here)"),
                Rejection(peer: "b", reason: "location Europe/FR/Paris not accepted"),
                Rejection(peer: "c", reason: "cpu: need 1 core, 0 free (with node y placed here)"),
                Rejection(peer: "d", reason: "location Africa/KE/Nairobi not accepted"),
            ])
        let instance = MatchingOracle.Instance(nodes: nodes, offers: offers, excluded: [], declines: [:])
        #expect(MatchingOracle.violations(placement, instance).isEmpty)
    }

    @Test func aLargeImpossibleInstanceStopsAtTheBudget() {
        // 333 nodes of 3 cores, 100 offers of 10: the totals allow 333 but each offer takes 3.
        let offers = (0..<100).map { F.offer("p\($0)", cores: 10, ram: 1024) }
        let nodes = (0..<333).map { F.node("n\($0)", cores: 3) }
        let placement = Matching.place(nodes, offers: offers, excludedPeers: [], declines: [:], searchBudget: 50_000)
        #expect(placement.assignment.count == 300)
        #expect(placement.rejections.count == 33)
        #expect(placement.rejections.values.allSatisfy { $0.count == 100 })
    }
}
