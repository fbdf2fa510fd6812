import DMSCore
import DMSEnsemble
import Foundation
import NunetTestSupport
import Testing

@testable import DMSMatching

/// Matching against `MatchingOracle` on random instances. The seed is printed; set `NUNET_PROPERTY_SEED`
/// to replay a failure. GPUs are whole 16 GiB cards and each GPU demand needs more than half of one, so
/// which card a node gets never matters and the oracle can ignore the order nodes are placed in (sharing
/// a card's VRAM is covered by `MatchingRuleTests`).
@Suite struct MatchingPropertyTests {
    typealias F = MatchingFixtures
    typealias Instance = MatchingOracle.Instance

    static let seed =
        UInt64(ProcessInfo.processInfo.environment["NUNET_PROPERTY_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64.max)

    @Test func placementsRespectEveryRuleAndRejectionsAreTrue() {
        var generator = SeededGenerator(seed: Self.seed ^ 1)
        print("matching property seed \(Self.seed) (placementsRespectEveryRuleAndRejectionsAreTrue)")
        for round in 0..<300 {
            let instance = Self.instance(&generator, nodes: 1...9, offers: 1...6)
            let placement = Matching.place(
                instance.nodes, offers: instance.offers, excludedPeers: instance.excluded, declines: instance.declines)
            let violations = MatchingOracle.violations(placement, instance)
            #expect(violations.isEmpty, "round \(round), seed \(Self.seed): \(violations)\n\(instance)\n\(placement)")
            let shuffled = Matching.place(
                instance.nodes.shuffled(using: &generator), offers: instance.offers.shuffled(using: &generator),
                excludedPeers: instance.excluded, declines: instance.declines)
            #expect(shuffled == placement, "round \(round), seed \(Self.seed): input order changed the result")
            if !violations.isEmpty || shuffled != placement { return }
        }
    }

    @Test func whenACompletePlacementExistsItIsFound() {
        var generator = SeededGenerator(seed: Self.seed ^ 2)
        print("matching property seed \(Self.seed) (whenACompletePlacementExistsItIsFound)")
        var complete = 0
        for round in 0..<300 {
            let instance = Self.instance(&generator, nodes: 1...4, offers: 1...4)
            let placement = Matching.place(
                instance.nodes, offers: instance.offers, excludedPeers: instance.excluded, declines: instance.declines)
            let exists = MatchingOracle.completePlacementExists(instance)
            if exists { complete += 1 }
            #expect(
                placement.isComplete == exists,
                "round \(round), seed \(Self.seed): oracle \(exists)\n\(instance)\n\(placement.explanation)")
            if placement.isComplete != exists { return }
        }
        #expect(complete > 30, "the generator should make many instances that fit (\(complete) of 300)")
    }

    @Test func backtrackingSolvesTightInstances() {
        var generator = SeededGenerator(seed: Self.seed ^ 3)
        print("matching property seed \(Self.seed) (backtrackingSolvesTightInstances)")
        var (complete, rescued) = (0, 0)
        for round in 0..<300 {
            let instance = Self.tightInstance(&generator)
            let placement = Matching.place(instance.nodes, offers: instance.offers)
            let exists = MatchingOracle.completePlacementExists(instance)
            if exists { complete += 1 }
            let bestFit = Matching.place(
                instance.nodes, offers: instance.offers, excludedPeers: [], declines: [:], searchBudget: 0)
            if placement.isComplete && !bestFit.isComplete { rescued += 1 }
            #expect(
                placement.isComplete == exists,
                "round \(round), seed \(Self.seed): oracle \(exists)\n\(instance)\n\(placement.explanation)")
            #expect(MatchingOracle.violations(placement, instance).isEmpty, "round \(round), seed \(Self.seed)")
        }
        #expect(complete > 30, "the generator should make many instances that fit (\(complete) of 300)")
        #expect(rescued > 0, "some instances should need backtracking")
    }

    @Test func aLoneNodeGoesToTheCheapestOfferThatCanTakeIt() {
        var generator = SeededGenerator(seed: Self.seed ^ 4)
        print("matching property seed \(Self.seed) (aLoneNodeGoesToTheCheapestOfferThatCanTakeIt)")
        var priced = 0
        for round in 0..<300 {
            var instance = Self.instance(&generator, nodes: 1...1, offers: 2...6)
            instance.excluded = []
            let node = instance.nodes[0]
            let placement = Matching.place(instance.nodes, offers: instance.offers)
            let feasible = instance.offers.filter {
                MatchingOracle.problems(hosting: [node], on: $0, excluded: false).isEmpty
            }
            guard let peer = placement.assignment[node.name] else {
                #expect(feasible.isEmpty, "round \(round), seed \(Self.seed): \(instance)")
                continue
            }
            // A free offer costs nothing; with a ceiling (the generator gives at most one), the cheapest of the
            // offer's prices in its currency; without one, the provider's preferred price, whose currency
            // ranks first. A run time not stated counts as one hour.
            let seconds = node.terms.time.seconds ?? 3600
            func cost(_ offer: Offer) -> (rank: Int, cost: Double)? {
                let prices = offer.capability.prices
                if prices.isEmpty { return (0, 0) }
                guard let ceiling = node.terms.prices.first else {
                    let top = prices.map(\.preference).max()!
                    let preferred = prices.first { $0.preference == top }!
                    let rank = ComputeCapability.Price.currencies.firstIndex(of: preferred.currency)!
                    return (rank, preferred.cost(seconds: seconds))
                }
                return prices.filter { $0.currency == ceiling.currency }
                    .filter { MatchingOracle.termsProblem(node.terms, ComputeCapability(prices: [$0])) == nil }
                    .map { (0, $0.cost(seconds: seconds)) }.min { $0.1 < $1.1 }
            }
            let chosen = feasible.first { $0.peer == peer }
            let cheapest = feasible.compactMap(cost).min { ($0.rank, $0.cost) < ($1.rank, $1.cost) }
            guard let chosen, let chosenCost = cost(chosen), let cheapest else { continue }
            priced += 1
            #expect(
                chosenCost.rank == cheapest.rank && abs(chosenCost.cost - cheapest.cost) < 1e-9,
                "round \(round), seed \(Self.seed): chose \(peer) at \(chosenCost), cheapest \(cheapest)\n\(instance)")
            #expect(placement.estimates[node.name] != nil)
        }
        #expect(priced > 50, "the generator should price many placements (\(priced) of 300)")
    }

    /// Three to five providers of one or two cores, each in its own city, and up to six nodes of one or
    /// two cores that each accept one to three cities: small packing and matching puzzles where a first
    /// choice often has to be undone.
    static func tightInstance(_ generator: inout SeededGenerator) -> Instance {
        let cities = ["Berlin", "Paris", "Rome", "Madrid", "Vienna", "Prague"].map {
            Location(continent: "Europe", city: $0)
        }
        let offers = (0..<Int.random(in: 3...5, using: &generator)).map {
            F.offer("p\($0)", cores: Double(Int.random(in: 1...2, using: &generator)), location: cities[$0])
        }
        let nodes = (0..<Int.random(in: 3...6, using: &generator)).map { index in
            let accepted = offers.compactMap(\.location).shuffled(using: &generator)
                .prefix(Int.random(in: 1...3, using: &generator))
            return F.node(
                "n\(index)", cores: Int.random(in: 0..<4, using: &generator) == 0 ? 2 : 1,
                location: LocationConstraint(accept: Array(accepted)))
        }
        return Instance(nodes: nodes, offers: offers, excluded: [], declines: [:])
    }

    /// A random instance on a small world: four places, ports 20000-20006, a few executors, so rules
    /// collide often. Peers are p0, p1, …; declines come from d0, d1; a pin may name a silent peer.
    static func instance(
        _ generator: inout SeededGenerator, nodes nodeCount: ClosedRange<Int>, offers offerCount: ClosedRange<Int>
    ) -> Instance {
        let places: [Location?] = [F.berlin, F.paris, F.tokyo, nil]
        let executors: [ExecutorKind] = [.docker, .wasm, .firecracker]
        func some<T>(_ values: [T], _ count: ClosedRange<Int>) -> [T] {
            Array(values.shuffled(using: &generator).prefix(Int.random(in: count, using: &generator)))
        }
        func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &generator) < percent }
        let offers = (0..<Int.random(in: offerCount, using: &generator)).map { index in
            F.offer(
                "p\(index)", cores: Double(Int.random(in: 1...12, using: &generator)) / 2,
                ram: UInt64.random(in: 2...16, using: &generator), disk: UInt64.random(in: 0...40, using: &generator),
                gpus: Array(repeating: 16, count: chance(40) ? Int.random(in: 1...2, using: &generator) : 0),
                location: places.randomElement(using: &generator)!,
                executors: chance(80) ? Set(some(executors, 0...2) + [.docker]) : Set(some(executors, 1...3)),
                portRange: 20000...(20000 + Int.random(in: 2...6, using: &generator)),
                reservedPorts: Set(some(Array(19999...20006), 0...2)), terms: chance(70) ? offerTerms() : nil)
        }
        let nodes = (0..<Int.random(in: nodeCount, using: &generator)).map { index in
            let place = [F.berlin, F.paris, F.tokyo, Location(continent: "Europe")].randomElement(using: &generator)!
            let location: LocationConstraint =
                switch Int.random(in: 0..<12, using: &generator) {
                case 0: LocationConstraint(accept: [place])
                case 1: LocationConstraint(reject: [place])
                case 2: LocationConstraint(accept: [place], reject: [F.paris])
                default: LocationConstraint()
                }
            let pinned: String? =
                chance(10) ? (chance(80) ? "p\(Int.random(in: 0..<offers.count, using: &generator))" : "ghost") : nil
            var node = F.node(
                "n\(index)", cores: Double(Int.random(in: 1...4, using: &generator)) / 2,
                ram: UInt64.random(in: 1...6, using: &generator), disk: UInt64.random(in: 0...15, using: &generator),
                executors: chance(80) ? [.docker] : Set(some(executors, 1...2)), location: location, pinnedPeer: pinned,
                staticPorts: some(Array(20000...20006), chance(25) ? 1...1 : 0...0),
                dynamicPorts: chance(30) ? Int.random(in: 1...2, using: &generator) : 0)
            if chance(60) { node.terms = nodeTerms() }
            if chance(20) {
                node.resources.gpus = (0..<Int.random(in: 1...2, using: &generator)).map { _ in
                    GPU(
                        vendor: chance(50) ? .nvidia : .unknown,
                        vram: UInt64.random(in: 9...16, using: &generator) * F.gib)
                }
            }
            return node
        }
        func offerTerms() -> ComputeCapability {
            var terms = ComputeCapability()
            terms.prices = some(["NTX", "ADA"], 0...2).map {
                .init(
                    currency: $0, currencyPerHour: Double(Int.random(in: 0...10, using: &generator)) / 10,
                    totalPerJob: Double(Int.random(in: 0...2, using: &generator)))
            }
            if chance(30) { terms.time = .init(seconds: 3600 * Int.random(in: 1...4, using: &generator)) }
            terms.connectivity = .init(vpn: chance(40), publicPorts: chance(80))
            terms.localities = some([.init(kind: "country", name: "DE"), .init(kind: "city", name: "Paris")], 0...2)
            return terms
        }
        func nodeTerms() -> ComputeCapability {
            var terms = ComputeCapability()
            terms.prices = some(["NTX", "ADA"], 0...1).map {
                .init(
                    currency: $0,
                    currencyPerHour: chance(70) ? Double(Int.random(in: 1...8, using: &generator)) / 10 : 0,
                    totalPerJob: chance(30) ? Double(Int.random(in: 1...6, using: &generator)) : 0)
            }
            if chance(50) { terms.time = .init(seconds: 1800 * Int.random(in: 1...8, using: &generator)) }
            terms.connectivity = .init(vpn: chance(15), publicPorts: chance(25))
            if chance(15) { terms.localities = [.init(kind: "country", name: "DE")] }
            return terms
        }
        let excluded = Set(offers.map(\.peer).filter { _ in chance(10) })
        let declines = Dictionary(
            uniqueKeysWithValues: (0..<Int.random(in: 0...2, using: &generator)).map { ("d\($0)", "not onboarded") })
        return Instance(nodes: nodes, offers: offers, excluded: excluded, declines: declines)
    }
}
