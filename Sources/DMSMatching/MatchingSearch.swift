/// The two searches of a matching run, over the nodes in the problem's order.
enum MatchingSearch {
    /// Best fit, one node after the other; a node that fits nowhere is left out and the rest go on.
    /// Placements only ever take, so a node left out still fits nowhere at the end.
    static func greedy(_ problem: MatchingProblem) -> MatchingState {
        var state = MatchingState(problem)
        for node in problem.order {
            if let offer = state.bestOffer(for: node, problem) { state.place(node, on: offer, problem) }
        }
        return state
    }

    /// A placement of every node that has a candidate, by depth-first search in the same order with the
    /// same best-fit choices first and conflict-directed backjumping: a node that fits nowhere blames the
    /// nodes holding its candidate offers, and the search goes back to the deepest of them (the choices
    /// in between cannot help). Complete: nil means no such placement exists, or that the search spent
    /// `budget` offer checks first.
    static func complete(_ problem: MatchingProblem, budget: Int) -> MatchingState? {
        let order = problem.order.filter(problem.hasCandidates)
        guard SupplyBound.suffices(for: order, problem) else { return nil }
        var depthOf = [Int](repeating: -1, count: problem.nodes.count)
        for (depth, node) in order.enumerated() { depthOf[node] = depth }
        var state = MatchingState(problem)
        var conflicts = ConflictSets(depths: order.count)
        var firstChoice = [Int](repeating: -1, count: order.count)
        // The choices left at a depth once its first failed, best first; computed on the first return.
        var alternatives = [[Int]?](repeating: nil, count: order.count)
        var spent = 0
        var depth = 0
        var exhausted = false  // whether the node at `depth` has run out of choices
        while depth < order.count {
            guard spent <= budget else { return nil }
            let node = order[depth]
            spent += problem.candidates(of: node).count
            if !exhausted {
                conflicts.clear(depth)
                alternatives[depth] = nil
                if let offer = state.bestOffer(for: node, problem) {
                    firstChoice[depth] = offer
                    state.place(node, on: offer, problem)
                    depth += 1
                    continue
                }
            }
            // Every candidate of `node` that does not fit is held by nodes placed before it.
            for offer in problem.candidates(of: node) where !state.fits(node, on: offer, problem) {
                for other in state.hosted[offer] { conflicts.insert(depthOf[other], into: depth) }
            }
            guard let target = conflicts.deepest(in: depth) else { return nil }
            conflicts.merge(depth, into: target)
            while state.placedCount > target { state.undoLast(problem) }
            depth = target
            let targetNode = order[target]
            if alternatives[target] == nil {
                spent += problem.candidates(of: targetNode).count
                alternatives[target] = state.fittingOffers(for: targetNode, problem).filter {
                    $0 != firstChoice[target]
                }
            }
            if let offer = alternatives[target]?.first {
                alternatives[target]?.removeFirst()
                state.place(targetNode, on: offer, problem)
                depth = target + 1
                exhausted = false
            } else {
                exhausted = true
            }
        }
        return state
    }
}
