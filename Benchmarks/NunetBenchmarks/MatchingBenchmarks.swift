import DMSCore
import DMSEnsemble
import DMSMatching
import DMSOrchestrator
import Foundation
import NunetTestSupport

/// Matching: a 1,000-node ensemble (one allocation each) placed over 1,000 simulated offers (goal
/// ≥ 1,500 placements/s), the same with prices, time limits and connectivity on every offer and price
/// ceilings and durations on every node (goal ≥ 10,000 placements/s), a 1-node request over the same
/// offers, and 1,000 nodes packed tightly onto 100 offers.
enum MatchingBenchmarks {
    static func run() {
        var generator = SeededGenerator(seed: 2026)
        let offers = (0..<1000).map { offer($0, &generator) }
        let nodes = (0..<1000).map { node($0, &generator) }
        let placement = Matching.place(nodes, offers: offers)
        guard placement.isComplete else { fatalError("benchmark ensemble did not fit:\n\(placement.explanation)") }
        let peers = Set(placement.assignment.values).count
        let full = Measure.secondsPerOperation(rounds: 7, iterations: 5) { _ = Matching.place(nodes, offers: offers) }

        let pricedOffers = offers.map { priced($0, &generator) }
        let pricedNodes = nodes.enumerated().map { terms($1, $0) }
        let now: Int64 = 1_800_000_000
        let pricedPlacement = Matching.place(pricedNodes, offers: pricedOffers, now: now)
        guard pricedPlacement.isComplete else {
            fatalError("priced benchmark ensemble did not fit:\n\(pricedPlacement.explanation)")
        }
        let pricedPeers = Set(pricedPlacement.assignment.values).count
        let pricedFull = Measure.secondsPerOperation(rounds: 7, iterations: 5) {
            _ = Matching.place(pricedNodes, offers: pricedOffers, now: now)
        }

        var single: [Double] = []
        for index in 0..<1000 {
            let request = [nodes[index]]
            let start = ContinuousClock.now
            _ = Matching.place(request, offers: offers)
            let elapsed = ContinuousClock.now - start
            single.append(Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
        }
        single.sort()

        // 100 offers of 12 cores and 24 GiB for 1,000 nodes of 1 core and 1-2 GiB: about 85% of the cores.
        let packedOffers = (0..<100).map {
            Offer(
                peer: peerID(&generator),
                free: Resources(cpu: CPUResources(cores: 12), ram: 24 * gib, disk: 500 * gib), location: cities[$0 % 4],
                executors: [.docker])
        }
        let packedNodes = (0..<1000).map {
            NodeDemand(
                name: "packed-\($0)",
                resources: Resources(
                    cpu: CPUResources(cores: 1), ram: UInt64.random(in: 1...2, using: &generator) * gib, disk: gib),
                executors: [.docker])
        }
        let packedPlacement = Matching.place(packedNodes, offers: packedOffers)
        let packed = Measure.secondsPerOperation(rounds: 5, iterations: 3) {
            _ = Matching.place(packedNodes, offers: packedOffers)
        }

        print("| Matching (one core) | Measured | Goal |")
        print("|---|---|---|")
        Measure.row(
            "1,000 nodes over 1,000 offers (\(peers) providers used)",
            String(format: "%.0f placements/s (%.1f ms per ensemble)", 1000 / full, full * 1000), "≥ 1,500 /s")
        Measure.row(
            "the same with prices, time limits and connectivity on every offer, ceilings and durations on every node "
                + "(\(pricedPeers) providers used)",
            String(format: "%.0f placements/s (%.1f ms per ensemble)", 1000 / pricedFull, pricedFull * 1000),
            "≥ 10,000 /s")
        Measure.row(
            "1-node request over 1,000 offers: p50 / p99",
            "\(Measure.microseconds(single[single.count / 2])) / \(Measure.microseconds(single[single.count * 99 / 100]))"
        )
        Measure.row(
            "1,000 nodes packed onto 100 offers (\(packedPlacement.assignment.count) placed)",
            String(format: "%.0f placements/s (%.1f ms per ensemble)", 1000 / packed, packed * 1000))
    }

    private static let gib: UInt64 = 1 << 30
    private static let cities = [
        Location(continent: "Europe", country: "DE", city: "Berlin"),
        Location(continent: "Europe", country: "NL", city: "Amsterdam"),
        Location(continent: "North America", country: "US", city: "Chicago"),
        Location(continent: "Asia", country: "SG", city: "Singapore"),
        Location(continent: "Asia", country: "JP", city: "Tokyo"),
        Location(continent: "Africa", country: "KE", city: "Nairobi"),
        Location(continent: "South America", country: "BR", city: "Sao Paulo"),
        Location(continent: "Oceania", country: "AU", city: "Sydney"),
    ]

    /// A provider: 4-32 cores, 8-128 GiB; one in ten has one to four GPUs; some run WASM or Firecracker
    /// too; a few ports of the default range are in use.
    private static func offer(_ index: Int, _ generator: inout SeededGenerator) -> Offer {
        let gpus: [GPU] =
            index % 10 == 0
            ? (0..<Int.random(in: 1...4, using: &generator)).map {
                GPU(index: $0, vendor: .nvidia, vram: UInt64.random(in: 8...80, using: &generator) * gib)
            } : []
        var executors: Set<ExecutorKind> = [.docker]
        if Bool.random(using: &generator) { executors.insert(.wasm) }
        if index % 10 == 3 { executors.insert(.firecracker) }
        return Offer(
            peer: peerID(&generator),
            free: Resources(
                cpu: CPUResources(cores: Double(Int.random(in: 4...32, using: &generator))),
                ram: UInt64.random(in: 8...128, using: &generator) * gib,
                disk: UInt64.random(in: 100...1000, using: &generator) * gib, gpus: gpus),
            location: cities[index % cities.count], executors: executors,
            reservedPorts: Set((0..<8).map { _ in Int.random(in: Offer.defaultPortRange, using: &generator) }))
    }

    /// A node of one allocation: 0.5-2 cores, 1-4 GiB; one in ten needs a GPU, one in five has a location
    /// rule, one in ten a static port, one in five a dynamic port.
    private static func node(_ index: Int, _ generator: inout SeededGenerator) -> NodeDemand {
        let location: LocationConstraint =
            switch index % 10 {
            case 1: LocationConstraint(accept: [Location(continent: "Europe")])
            case 6: LocationConstraint(reject: [Location(continent: "Asia")])
            default: LocationConstraint()
            }
        return NodeDemand(
            name: "node-\(index)",
            resources: Resources(
                cpu: CPUResources(cores: [0.5, 1, 1, 2][index % 4]),
                ram: UInt64.random(in: 1...4, using: &generator) * gib,
                disk: UInt64.random(in: 1...10, using: &generator) * gib,
                gpus: index % 10 == 5
                    ? [GPU(vendor: .nvidia, vram: UInt64.random(in: 8...24, using: &generator) * gib)] : []),
            executors: index % 7 == 0 ? [.docker, .wasm] : [.docker], location: location,
            staticPorts: index % 10 == 2 ? [20000 + index] : [], dynamicPorts: index % 5 == 4 ? 1 : 0)
    }

    /// `offer` with terms: 0.1-2 NTX per hour (a third also per job, a fifth in ADA too), a longest job of
    /// 1-24 h on half of them, an end of availability on a tenth, public ports on nine in ten, VPN on a third.
    private static func priced(_ offer: Offer, _ generator: inout SeededGenerator) -> Offer {
        var offer = offer
        var prices = [
            ComputeCapability.Price(
                currency: "NTX", currencyPerHour: Double(Int.random(in: 1...20, using: &generator)) / 10,
                totalPerJob: Int.random(in: 0..<3, using: &generator) == 0 ? 0.5 : 0)
        ]
        if Int.random(in: 0..<5, using: &generator) == 0 {
            prices.append(.init(currency: "ADA", currencyPerHour: Double(Int.random(in: 1...40, using: &generator))))
        }
        offer.capability.prices = prices
        if Bool.random(using: &generator) {
            offer.capability.time = .init(seconds: 3600 * Int.random(in: 1...24, using: &generator))
        }
        if Int.random(in: 0..<10, using: &generator) == 0 {
            offer.capability.time.availableUntil = 1_800_000_000 + 86_400
        }
        offer.capability.connectivity = .init(
            vpn: Int.random(in: 0..<3, using: &generator) == 0,
            publicPorts: Int.random(in: 0..<10, using: &generator) > 0)
        return offer
    }

    /// `node` with terms: a ceiling of 1, 1.5 or 2 NTX per hour, a duration of 1, 2 or 4 hours, public ports
    /// when it publishes any.
    private static func terms(_ node: NodeDemand, _ index: Int) -> NodeDemand {
        var node = node
        node.terms.prices = [.init(currency: "NTX", currencyPerHour: [1, 1.5, 2][index % 3])]
        node.terms.time = .init(seconds: 3600 * [1, 2, 4][index % 3 == 0 ? index % 2 : 2])
        node.terms.connectivity.publicPorts = !node.staticPorts.isEmpty || node.dynamicPorts > 0
        return node
    }

    /// A peer ID of the usual shape: `12D3KooW` and 44 base58 characters.
    private static func peerID(_ generator: inout SeededGenerator) -> String {
        let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
        return "12D3KooW"
            + String((0..<44).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// splitmix64, so every run measures the same ensemble.
}
