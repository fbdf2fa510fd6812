import DMSCore

/// What each offer has left while nodes are placed, and which nodes it hosts. Placing goes through
/// `Resources.placement(of:)` and `subtracting`, so GPU cards are chosen as the provider will choose
/// them and never give more VRAM than they have; the integer copies beside them keep the search's checks
/// cheap.
struct MatchingState {
    private(set) var cores: [Int]
    private(set) var ram: [UInt64]
    private(set) var disk: [UInt64]
    private(set) var vram: [Double]
    private(set) var ports: [Int]
    private(set) var free: [Resources]
    /// Static ports taken by the nodes on each offer.
    private(set) var takenPorts: [[Int]]
    /// The nodes on each offer, in placement order.
    private(set) var hosted: [[Int]]
    /// Each node's offer, if placed.
    private(set) var host: [Int?]
    /// Placements in order, each with its offer's free resources before it, so the last can be undone.
    private var placements: [(node: Int, offer: Int, before: Resources)] = []

    var placedCount: Int { placements.count }

    init(_ problem: MatchingProblem) {
        cores = problem.offerCores
        ram = problem.offerRAM
        disk = problem.offerDisk
        vram = problem.offerVRAM
        ports = problem.offerPorts
        free = problem.initialFree
        takenPorts = Array(repeating: [], count: problem.offers.count)
        hosted = Array(repeating: [], count: problem.offers.count)
        host = Array(repeating: nil, count: problem.nodes.count)
    }

    /// Whether `node` fits on `offer` now. The node is one of the offer's candidates, so only what other
    /// nodes took can stop it.
    func fits(_ node: Int, on offer: Int, _ problem: MatchingProblem) -> Bool {
        fitsApartFromGPUs(node, offer, problem) && GPUFit.fits(problem.demands[node].gpus, on: free[offer].gpus)
    }

    /// The cheapest candidate that fits, and of equally cheap ones the one with the least slack left
    /// (best fit, so large offers stay whole for large nodes); ties go to the lower peer ID.
    func bestOffer(for node: Int, _ problem: MatchingProblem) -> Int? {
        let gpus = problem.demands[node].gpus
        let base = problem.termsOf[node] * problem.offers.count
        var best: Int?
        var bestKey = (rank: Int.max, cost: Double.infinity, slack: Double.infinity)
        for offer in problem.candidates(of: node) where fitsApartFromGPUs(node, offer, problem) {
            let key = (rank: problem.currencyRank[base + offer], cost: problem.cost[base + offer], slack: 0.0)
            guard key.rank < bestKey.rank || (key.rank == bestKey.rank && key.cost <= bestKey.cost) else { continue }
            let slack = slack(node, offer, problem)
            if (key.rank, key.cost, slack) < bestKey && (gpus.isEmpty || GPUFit.fits(gpus, on: free[offer].gpus)) {
                best = offer
                bestKey = (key.rank, key.cost, slack)
            }
        }
        return best
    }

    /// Every candidate that fits now, in `bestOffer`'s order.
    func fittingOffers(for node: Int, _ problem: MatchingProblem) -> [Int] {
        let base = problem.termsOf[node] * problem.offers.count
        return problem.candidates(of: node).filter { fits(node, on: $0, problem) }
            .map {
                (
                    rank: problem.currencyRank[base + $0], cost: problem.cost[base + $0],
                    slack: slack(node, $0, problem), offer: $0
                )
            }
            .sorted { ($0.rank, $0.cost, $0.slack, $0.offer) < ($1.rank, $1.cost, $1.slack, $1.offer) }
            .map(\.offer)
    }

    mutating func place(_ node: Int, on offer: Int, _ problem: MatchingProblem) {
        let before = free[offer]
        // `fits` applies `placement(of:)`'s own rules to the same numbers, so neither call can throw.
        let placed = try! before.placement(of: problem.demands[node])
        free[offer] = try! before.subtracting(placed)
        cores[offer] -= problem.cores[node]
        ram[offer] -= problem.ram[node]
        disk[offer] -= problem.disk[node]
        vram[offer] = free[offer].gpus.reduce(0) { $0 + Double($1.vram) }
        ports[offer] -= problem.ports[node]
        takenPorts[offer].append(contentsOf: problem.staticPorts[node])
        hosted[offer].append(node)
        host[node] = offer
        placements.append((node, offer, before))
    }

    mutating func undoLast(_ problem: MatchingProblem) {
        let (node, offer, before) = placements.removeLast()
        free[offer] = before
        cores[offer] += problem.cores[node]
        ram[offer] += problem.ram[node]
        disk[offer] += problem.disk[node]
        vram[offer] = free[offer].gpus.reduce(0) { $0 + Double($1.vram) }
        ports[offer] += problem.ports[node]
        takenPorts[offer].removeLast(problem.staticPorts[node].count)
        hosted[offer].removeLast()
        host[node] = nil
    }

    @inline(__always)
    private func fitsApartFromGPUs(_ node: Int, _ offer: Int, _ problem: MatchingProblem) -> Bool {
        guard
            cores[offer] >= problem.cores[node] && ram[offer] >= problem.ram[node]
                && disk[offer] >= problem.disk[node] && ports[offer] >= problem.ports[node]
        else { return false }
        let wanted = problem.staticPorts[node]
        return wanted.isEmpty || takenPorts[offer].isEmpty || !wanted.contains(where: takenPorts[offer].contains)
    }

    /// What the offer would keep, each dimension as a fraction of the largest offer's, summed.
    @inline(__always)
    private func slack(_ node: Int, _ offer: Int, _ problem: MatchingProblem) -> Double {
        let weights = problem.weights
        return (Double(cores[offer]) - Double(problem.cores[node])) * weights.cores
            + (Double(ram[offer]) - Double(problem.ram[node])) * weights.ram
            + (Double(disk[offer]) - Double(problem.disk[node])) * weights.disk
            + (vram[offer] - problem.vram[node]) * weights.vram
    }
}
