import DMSCore
import DMSEnsemble
import DMSMatching

/// An independent statement of what a placement may do, written from the rules rather than from the
/// matcher, for property tests: which nodes a provider may host together, and (by brute force over small
/// instances) whether a complete placement exists.
enum MatchingOracle {
    struct Instance: CustomStringConvertible {
        var nodes: [NodeDemand]
        var offers: [Offer]
        var excluded: Set<String>
        var declines: [String: String]

        var description: String {
            (nodes.map { "\($0)" } + offers.map { "\($0)" } + ["excluded \(excluded)", "declines \(declines)"])
                .joined(separator: "\n")
        }
    }

    /// What is wrong with `nodes` sharing `offer`; empty when the provider can host them all.
    static func problems(hosting nodes: [NodeDemand], on offer: Offer, excluded: Bool) -> [String] {
        var problems: [String] = []
        if excluded { problems.append("excluded peer used") }
        let low = max(offer.portRange.lowerBound, 1)
        let high = min(offer.portRange.upperBound, 65535)
        for node in nodes {
            if let pinned = node.pinnedPeer {
                if pinned != offer.peer { problems.append("\(node.name) is pinned elsewhere") }
            } else if !node.location.admits(offer.location) {
                problems.append("\(node.name): location refused")
            }
            if !node.executors.isSubset(of: offer.executors) { problems.append("\(node.name): executor missing") }
            if let broken = termsProblem(node.terms, offer.capability) { problems.append("\(node.name): \(broken)") }
            for port in Set(node.staticPorts) where port < low || port > high || offer.reservedPorts.contains(port) {
                problems.append("\(node.name): port \(port) unusable")
            }
        }
        let staticPorts = nodes.flatMap { Set($0.staticPorts) }
        if Set(staticPorts).count != staticPorts.count { problems.append("a static port used twice") }
        let free = low > high ? 0 : high - low + 1 - offer.reservedPorts.count { low <= $0 && $0 <= high }
        if staticPorts.count + nodes.reduce(0, { $0 + $1.dynamicPorts }) > free { problems.append("ports exhausted") }
        if nodes.reduce(0, { $0 + $1.resources.cpu.cores }) > offer.free.cpu.cores { problems.append("cores over") }
        if nodes.reduce(0, { $0 + $1.resources.ram }) > offer.free.ram { problems.append("ram over") }
        if nodes.reduce(0, { $0 + $1.resources.disk }) > offer.free.disk { problems.append("disk over") }
        if !gpusFit(nodes.filter { !$0.resources.gpus.isEmpty }, Resources(gpus: offer.free.gpus)) {
            problems.append("gpus over")
        }
        return problems
    }

    /// The first term of `offer` that `terms` refuse, stated from the rules: public ports and VPN when
    /// needed, the run time within the longest job, a shared locality, and some price in a currency the
    /// node pays in within every ceiling of that currency (an offer without prices is free).
    static func termsProblem(_ terms: ComputeCapability, _ offer: ComputeCapability) -> String? {
        if terms.connectivity.publicPorts && !offer.connectivity.publicPorts { return "no public ports" }
        if terms.connectivity.vpn && !offer.connectivity.vpn { return "no VPN" }
        if let need = terms.time.seconds, let limit = offer.time.seconds, need > limit { return "job too long" }
        if !terms.localities.isEmpty && !terms.localities.contains(where: offer.localities.contains) {
            return "locality"
        }
        guard !terms.prices.isEmpty, !offer.prices.isEmpty else { return nil }
        let hours = Double(terms.time.seconds ?? 0) / 3600
        let affordable = terms.prices.contains { wanted in
            offer.prices.contains { price in
                price.currency == wanted.currency
                    && terms.prices.filter { $0.currency == wanted.currency }.allSatisfy { ceiling in
                        (ceiling.currencyPerHour == 0 || price.currencyPerHour <= ceiling.currencyPerHour)
                            && (ceiling.totalPerJob == 0
                                || price.totalPerJob + price.currencyPerHour * hours <= ceiling.totalPerJob)
                    }
            }
        }
        return affordable ? nil : "too expensive"
    }

    /// Whether the nodes' GPUs can be placed card by card as the provider places them, in some order.
    private static func gpusFit(_ nodes: [NodeDemand], _ free: Resources) -> Bool {
        if nodes.isEmpty { return true }
        return nodes.indices.contains { first in
            guard let placed = try? free.placement(of: Resources(gpus: nodes[first].resources.gpus)),
                let left = try? free.subtracting(placed)
            else { return false }
            var rest = nodes
            rest.remove(at: first)
            return gpusFit(rest, left)
        }
    }

    /// What is wrong with `placement` for `instance`: rule violations, nodes missing or placed and
    /// rejected at once, rejections missing, or a provider said to reject a node it could take.
    static func violations(_ placement: Placement, _ instance: Instance) -> [String] {
        var violations: [String] = []
        let offersByPeer = Dictionary(instance.offers.map { ($0.peer, $0) }, uniquingKeysWith: { first, _ in first })
        for node in instance.nodes {
            let placed = placement.assignment[node.name] != nil
            let rejected = placement.rejections[node.name] != nil
            if placed == rejected { violations.append("\(node.name): placed \(placed), rejected \(rejected)") }
        }
        let hosted = Dictionary(grouping: instance.nodes.filter { placement.assignment[$0.name] != nil }) {
            placement.assignment[$0.name]!
        }
        for (peer, nodes) in hosted {
            guard let offer = offersByPeer[peer] else {
                violations.append("\(peer) made no offer")
                continue
            }
            violations += problems(hosting: nodes, on: offer, excluded: instance.excluded.contains(peer)).map {
                "\(peer): \($0)"
            }
        }
        for node in instance.nodes {
            guard let rejections = placement.rejections[node.name] else { continue }
            var expected = Set(offersByPeer.keys).union(instance.declines.keys)
            if let pinned = node.pinnedPeer { expected.insert(pinned) }
            let named = rejections.map(\.peer)
            if named != named.sorted() || Set(named) != expected || named.count != expected.count {
                violations.append("\(node.name): rejections name \(named), expected \(expected.sorted())")
            }
            for rejection in rejections {
                if rejection.reason.isEmpty { violations.append("\(node.name): empty reason from \(rejection.peer)") }
                guard let offer = offersByPeer[rejection.peer] else { continue }
                let together = (hosted[rejection.peer] ?? []) + [node]
                if problems(hosting: together, on: offer, excluded: instance.excluded.contains(offer.peer)).isEmpty {
                    violations.append("\(node.name): \(rejection.peer) could take it but says \"\(rejection.reason)\"")
                }
            }
        }
        return violations
    }

    /// Whether some placement puts every node somewhere (tries all of them: keep instances small).
    static func completePlacementExists(_ instance: Instance) -> Bool {
        func extend(_ index: Int, _ hosted: [String: [NodeDemand]]) -> Bool {
            guard index < instance.nodes.count else { return true }
            let node = instance.nodes[index]
            return instance.offers.contains { offer in
                let together = (hosted[offer.peer] ?? []) + [node]
                guard problems(hosting: together, on: offer, excluded: instance.excluded.contains(offer.peer)).isEmpty
                else { return false }
                var next = hosted
                next[offer.peer] = together
                return extend(index + 1, next)
            }
        }
        return extend(0, [:])
    }
}
