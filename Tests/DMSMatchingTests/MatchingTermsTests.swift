import DMSCore
import DMSEnsemble
import Testing

@testable import DMSMatching

/// Prices, time limits and connectivity in matching: feasibility with a reason per rule, then the
/// cheapest feasible provider, then the best fit.
@Suite struct MatchingTermsTests {
    typealias F = MatchingFixtures

    static func priced(_ peer: String, _ perHour: Double, cores: Double = 8, hours: Int? = nil) -> Offer {
        var terms = ComputeCapability(
            connectivity: .init(publicPorts: true), prices: [.init(currency: "NTX", currencyPerHour: perHour)])
        if let hours { terms.time = .init(seconds: hours * 3600) }
        return F.offer(peer, cores: cores, terms: terms)
    }

    static func node(_ name: String, ceiling: Double? = nil, hours: Int? = nil, cores: Double = 1) -> NodeDemand {
        var node = F.node(name, cores: cores)
        if let ceiling { node.terms.prices = [.init(currency: "NTX", currencyPerHour: ceiling)] }
        if let hours { node.terms.time = .init(seconds: hours * 3600) }
        return node
    }

    @Test func theCheapestFeasibleProviderWinsOverABetterFit() throws {
        // b fits one core exactly, but a is cheaper; c is cheaper still, but it takes no job longer than 1 h.
        let offers = [Self.priced("a", 0.3), Self.priced("b", 0.5, cores: 1), Self.priced("c", 0.1, hours: 1)]
        let placement = Matching.place([Self.node("n", ceiling: 0.6, hours: 3)], offers: offers)
        #expect(placement.assignment == ["n": "a"])
        let estimate = try #require(placement.estimates["n"])
        #expect(abs(estimate.cost - 0.9) < 1e-9)
        #expect(estimate.description == "0.9 NTX (0.3 NTX/h × 3 h)")
    }

    @Test func equalPricesFallBackToBestFit() {
        let offers = [Self.priced("a", 0.5), Self.priced("b", 0.5, cores: 1)]
        #expect(Matching.place([Self.node("n", cores: 1)], offers: offers).assignment == ["n": "b"])
    }

    @Test func nodesOfOneEnsembleFillTheCheapestProviderFirst() {
        let offers = [Self.priced("cheap", 0.2, cores: 2), Self.priced("dear", 0.9)]
        let nodes = (1...3).map { Self.node("n\($0)") }
        let placement = Matching.place(nodes, offers: offers)
        #expect(placement.assignment.values.sorted() == ["cheap", "cheap", "dear"])
    }

    @Test func everyProviderSaysWhyItCannotServe() {
        var noPorts = F.offer("d", terms: ComputeCapability(connectivity: .init(publicPorts: false)))
        noPorts.capability.prices = []
        let offers = [Self.priced("a", 0.8), Self.priced("b", 0.2, hours: 1), noPorts]
        var node = Self.node("n", ceiling: 0.5, hours: 3)
        node.dynamicPorts = 1
        node.terms.connectivity.publicPorts = true
        let placement = Matching.place([node], offers: offers)
        #expect(placement.assignment.isEmpty)
        #expect(
            placement.explanation == "node n: no fit among 3 providers: peer a: price 0.8 NTX/h above the ceiling 0.5; "
                + "peer b: max job time 1 h, the ensemble needs 3 h; peer d: no public port")
    }

    @Test func aProviderThatTakesOnlyTasksIsNotOfferedAService() throws {
        let yaml = """
            version: V1
            allocations:
              web:
                executor: docker
                type: service
                resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}
                execution: {type: docker, image: nginx}
            """
        let ensemble = try EnsembleParser.parse(yaml: yaml)
        let node = try NodeDemand(node: try #require(ensemble.nodes["web"]), allocations: ensemble.allocations)
        #expect(node.terms.jobTypes == [.longRunning])
        let batchOnly = F.offer("a", terms: ComputeCapability(jobTypes: [.batch]))
        let anyJob = F.offer("b", cores: 2, terms: ComputeCapability())
        let placement = Matching.place([node], offers: [batchOnly, anyJob])
        #expect(placement.assignment == ["web": "b"])
        #expect(Matching.place([node], offers: [batchOnly]).explanation.hasSuffix("job type long_running not offered"))
    }

    @Test func anOfferPastItsAvailabilityIsNotUsed() {
        var offer = Self.priced("a", 0.1)
        offer.capability.time.availableUntil = 10_000
        let node = Self.node("n", hours: 1)
        #expect(Matching.place([node], offers: [offer], now: 7_000).assignment.isEmpty)
        #expect(Matching.place([node], offers: [offer], now: 7_000).explanation.contains("available until"))
        #expect(Matching.place([node], offers: [offer], now: 6_000).assignment == ["n": "a"])
    }
}
