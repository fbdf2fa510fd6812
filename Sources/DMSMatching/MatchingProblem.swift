import DMSCore
import DMSEnsemble

/// One matching run's input, prepared once so the search does integer comparisons over short lists.
/// Offers are deduplicated by peer (the first answer counts) and sorted by peer ID, so lower indices win
/// ties. Each node's demand is kept in flat arrays, and so are its candidates: the offers it could use
/// if it were alone there (every static rule and the initial fit). Node indices are those of the input.
struct MatchingProblem {
    /// The ports a provider can hand out at all; an offered range counts only within them.
    static let validPorts = 1...65535

    let nodes: [NodeDemand]
    let offers: [Offer]
    let excluded: [Bool]
    /// Offers' free resources, cores as `offerCores` says and GPU cards renumbered by position (so taking
    /// VRAM from a card finds it whatever the provider called it).
    let initialFree: [Resources]
    /// Nodes' demands, cores as `cores` says. With cores exact to the hundredth on both sides, the
    /// integer checks of the search and `Resources.placement(of:)` agree.
    let demands: [Resources]
    /// Per offer: free cores in hundredths, RAM, disk, total free VRAM, free ports in the range.
    let offerCores: [Int]
    let offerRAM: [UInt64]
    let offerDisk: [UInt64]
    let offerVRAM: [Double]
    let offerPorts: [Int]
    /// Per node: cores in hundredths, RAM, disk, total VRAM, ports (static and dynamic).
    let cores: [Int]
    let ram: [UInt64]
    let disk: [UInt64]
    let vram: [Double]
    let ports: [Int]
    /// Per node: its distinct static ports, sorted.
    let staticPorts: [[Int]]
    /// Node `i`'s candidates are `candidates[candidateStart[i]..<candidateStart[i + 1]]`, ascending.
    private(set) var candidateStart: [Int] = [0]
    private(set) var candidates: [Int] = []
    /// Most constrained first: pinned nodes, then fewest candidates, then largest demand, then name.
    private(set) var order: [Int] = []
    /// Weights that make each dimension's slack a fraction of the largest offer's.
    let weights: (cores: Double, ram: Double, disk: Double, vram: Double)
    /// When matching runs (Unix seconds), for offers' availability; nil ignores it.
    let now: Int64?
    /// The distinct terms of the nodes, and each node's index among them.
    let terms: [ComputeCapability]
    let termsOf: [Int]
    /// Per distinct terms and offer (`terms * offers.count + offer`): what the offer would charge, nil
    /// when it does not meet the terms; and the ranking key of that price (currency rank, cost).
    let estimates: [CostEstimate?]
    let currencyRank: [Int]
    let cost: [Double]

    init(nodes: [NodeDemand], offers answers: [Offer], excludedPeers: Set<String>, now: Int64? = nil) {
        let offers = Self.firstAnswerPerPeer(answers)
        self.nodes = nodes
        self.offers = offers
        self.now = now
        var termsIndex: [ComputeCapability: Int] = [:]
        var terms: [ComputeCapability] = []
        termsOf = nodes.map { node in
            if let known = termsIndex[node.terms] { return known }
            terms.append(node.terms)
            termsIndex[node.terms] = terms.count - 1
            return terms.count - 1
        }
        self.terms = terms
        (estimates, currencyRank, cost) = Self.price(terms: terms, offers: offers, now: now)
        excluded =
            excludedPeers.isEmpty
            ? Array(repeating: false, count: offers.count) : offers.map { excludedPeers.contains($0.peer) }
        let offerCores = offers.map { Self.hundredths($0.free.cpu.cores, ifNaN: Self.coreLimit) }
        self.offerCores = offerCores
        initialFree = zip(offers, offerCores).map { offer, cores in
            var free = offer.free
            free.cpu.cores = Double(cores) / 100
            for index in free.gpus.indices {
                free.gpus[index].index = index
                free.gpus[index].uuid = ""
            }
            return free
        }
        let (offerRAM, offerDisk) = (offers.map(\.free.ram), offers.map(\.free.disk))
        let offerVRAM = offers.map { $0.free.gpus.reduce(0) { $0 + Double($1.vram) } }
        (self.offerRAM, self.offerDisk, self.offerVRAM) = (offerRAM, offerDisk, offerVRAM)
        let portLow = offers.map { max($0.portRange.lowerBound, Self.validPorts.lowerBound) }
        let portHigh = offers.map { min($0.portRange.upperBound, Self.validPorts.upperBound) }
        offerPorts = offers.indices.map { offer in
            let (low, high) = (portLow[offer], portHigh[offer])
            return low > high ? 0 : high - low + 1 - offers[offer].reservedPorts.count { low <= $0 && $0 <= high }
        }
        let cores = nodes.map { Self.hundredths($0.resources.cpu.cores, ifNaN: 0) }
        self.cores = cores
        demands = zip(nodes, cores).map { node, cores in
            var demand = node.resources
            demand.cpu.cores = Double(cores) / 100
            return demand
        }
        ram = nodes.map(\.resources.ram)
        disk = nodes.map(\.resources.disk)
        vram = nodes.map { $0.resources.gpus.reduce(0) { $0 + Double($1.vram) } }
        staticPorts = nodes.map { Array(Set($0.staticPorts)).sorted() }
        ports = zip(nodes, staticPorts).map { $1.count + min(max($0.dynamicPorts, 0), Self.validPorts.count) }

        let excluded = excluded
        let usable = offers.indices.filter { !excluded[$0] }
        func weight(_ amount: (Int) -> Double) -> Double {
            let largest = usable.map(amount).max() ?? 0
            return largest > 0 ? 1 / largest : 0
        }
        weights = (
            weight { Double(offerCores[$0]) }, weight { Double(offerRAM[$0]) }, weight { Double(offerDisk[$0]) },
            weight { offerVRAM[$0] }
        )

        let estimates = estimates
        var eligibility = StaticEligibility(offers: offers, excluded: excluded) { terms, offer in
            estimates[terms * offers.count + offer] != nil
        }
        candidateStart.reserveCapacity(nodes.count + 1)
        for node in nodes.indices {
            let (gpus, wanted) = (demands[node].gpus, staticPorts[node])
            for offer in eligibility.offers(for: nodes[node], terms: termsOf[node]) {
                guard
                    cores[node] <= offerCores[offer] && ram[node] <= offerRAM[offer] && disk[node] <= offerDisk[offer]
                        && ports[node] <= offerPorts[offer]
                else { continue }
                if !wanted.isEmpty {
                    let (low, high, reserved) = (portLow[offer], portHigh[offer], offers[offer].reservedPorts)
                    guard wanted.allSatisfy({ low <= $0 && $0 <= high && !reserved.contains($0) }) else { continue }
                }
                if gpus.isEmpty || GPUFit.fits(gpus, on: initialFree[offer].gpus) { candidates.append(offer) }
            }
            candidateStart.append(candidates.count)
        }
        let start = candidateStart
        let size = nodes.indices.map { node in
            Double(cores[node]) * weights.cores + Double(ram[node]) * weights.ram + Double(disk[node]) * weights.disk
                + vram[node] * weights.vram
        }
        order = nodes.indices.sorted { a, b in
            let (pinnedA, pinnedB) = (nodes[a].pinnedPeer != nil, nodes[b].pinnedPeer != nil)
            if pinnedA != pinnedB { return pinnedA }
            let (countA, countB) = (start[a + 1] - start[a], start[b + 1] - start[b])
            if countA != countB { return countA < countB }
            if size[a] != size[b] { return size[a] > size[b] }
            if nodes[a].name != nodes[b].name { return nodes[a].name < nodes[b].name }
            return a < b
        }
    }

    /// The estimate, currency rank and cost of every offer for every distinct terms: what the
    /// offer would charge if it meets them. Ranking compares currencies by the terms' order of
    /// preference (or this node's list of currencies when they name none) before amounts; a run time
    /// that is not stated ranks by the cost of one hour.
    private static func price(terms: [ComputeCapability], offers: [Offer], now: Int64?) -> (
        [CostEstimate?], [Int], [Double]
    ) {
        var estimates: [CostEstimate?] = []
        var ranks: [Int] = []
        var costs: [Double] = []
        let capacity = terms.count * offers.count
        estimates.reserveCapacity(capacity)
        ranks.reserveCapacity(capacity)
        costs.reserveCapacity(capacity)
        for wanted in terms {
            let currencies = wanted.prices.isEmpty ? ComputeCapability.Price.currencies : wanted.prices.map(\.currency)
            for offer in offers {
                let estimate =
                    offer.capability.shortfalls(for: wanted, at: now).isEmpty
                    ? offer.capability.quote(for: wanted) : nil
                estimates.append(estimate)
                ranks.append(estimate.map { currencies.firstIndex(of: $0.price.currency) ?? currencies.count } ?? 0)
                costs.append(estimate.map { $0.price.cost(seconds: $0.seconds ?? 3600) } ?? 0)
            }
        }
        return (estimates, ranks, costs)
    }

    /// The offer of `peer`, by binary search.
    func offerIndex(of peer: String) -> Int? { Self.index(of: peer, in: offers) }

    static func index(of peer: String, in sorted: [Offer]) -> Int? {
        var (low, high) = (0, sorted.count)
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].peer < peer { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low].peer == peer ? low : nil
    }

    /// Sorted by peer ID; of several offers from one peer, the first given.
    private static func firstAnswerPerPeer(_ answers: [Offer]) -> [Offer] {
        let sorted = answers.indices.sorted { a, b in
            let (peerA, peerB) = (answers[a].peer, answers[b].peer)
            return peerA < peerB || (a < b && peerA == peerB)
        }
        var offers: [Offer] = []
        offers.reserveCapacity(answers.count)
        for index in sorted where offers.last?.peer != answers[index].peer { offers.append(answers[index]) }
        return offers
    }

    func candidates(of node: Int) -> ArraySlice<Int> { candidates[candidateStart[node]..<candidateStart[node + 1]] }

    func hasCandidates(_ node: Int) -> Bool { candidateStart[node + 1] > candidateStart[node] }

    /// Core counts beyond ±10^13 are clamped, so any number a peer sends converts.
    private static let coreLimit = 1_000_000_000_000_000

    /// Cores in hundredths, as `Resources` rounds them; NaN, which `Resources` neither rejects nor
    /// subtracts, becomes `ifNaN`.
    private static func hundredths(_ cores: Double, ifNaN: Int) -> Int {
        let scaled = (cores * 100).rounded()
        return scaled.isNaN ? ifNaN : Int(min(max(scaled, -Double(coreLimit)), Double(coreLimit)))
    }
}
