/// A necessary condition for placing every node, checked before searching for such a placement.
enum SupplyBound {
    /// Whether the offers could hold all these nodes if resources were divisible: the usable offers'
    /// totals cover the nodes' totals, and each offer covers the nodes it alone can take. When not, no
    /// search is needed to know that some node stays out.
    static func suffices(for nodes: [Int], _ problem: MatchingProblem) -> Bool {
        var total = Amounts()
        var usable = Set<Int>()
        var sole: [Int: Amounts] = [:]
        for node in nodes {
            let amounts = Amounts(node: node, problem)
            total.add(amounts)
            let candidates = problem.candidates(of: node)
            usable.formUnion(candidates)
            if candidates.count == 1 { sole[candidates[candidates.startIndex], default: Amounts()].add(amounts) }
        }
        var supply = Amounts()
        for offer in usable.sorted() { supply.add(Amounts(offer: offer, problem)) }
        return total.fits(in: supply) && sole.allSatisfy { $0.value.fits(in: Amounts(offer: $0.key, problem)) }
    }

    /// Cores, RAM, disk, VRAM and ports as plain sums (doubles, so no sum overflows).
    private struct Amounts {
        var values: [Double] = [0, 0, 0, 0, 0]

        init() {}

        init(node: Int, _ problem: MatchingProblem) {
            values = [
                Double(problem.cores[node]), Double(problem.ram[node]), Double(problem.disk[node]), problem.vram[node],
                Double(problem.ports[node]),
            ]
        }

        init(offer: Int, _ problem: MatchingProblem) {
            values = [
                Double(problem.offerCores[offer]), Double(problem.offerRAM[offer]), Double(problem.offerDisk[offer]),
                problem.offerVRAM[offer], Double(problem.offerPorts[offer]),
            ]
        }

        mutating func add(_ other: Amounts) {
            for index in values.indices { values[index] += other.values[index] }
        }

        func fits(in supply: Amounts) -> Bool { zip(values, supply.values).allSatisfy { $0 <= $1 } }
    }
}
