/// Assigns required GPUs to available cards: every requirement to a distinct card that satisfies it
/// (vendor, model, VRAM). Bipartite matching with augmenting paths finds an assignment whenever one
/// exists; candidates are tried smallest sufficient card first, so large cards stay free for large needs.
enum GPUMatching {
    /// For each requirement, the index (in `cards`) of its card; nil when no complete assignment exists.
    static func assign(_ requirements: [GPU], to cards: [GPU]) -> [Int]? {
        guard !requirements.isEmpty else { return [] }
        guard requirements.count <= cards.count else { return nil }
        let candidates = requirements.map { requirement in
            cards.indices.filter { cards[$0].satisfies(requirement) }.sorted { cards[$0].vram < cards[$1].vram }
        }
        var cardOwner = [Int?](repeating: nil, count: cards.count)
        // Hardest requirements first: fewest candidates, then most VRAM.
        let order = requirements.indices.sorted {
            (candidates[$0].count, requirements[$1].vram) < (candidates[$1].count, requirements[$0].vram)
        }
        for requirement in order {
            var visited = [Bool](repeating: false, count: cards.count)
            guard augment(requirement, candidates, &cardOwner, &visited) else { return nil }
        }
        var assignment = [Int](repeating: -1, count: requirements.count)
        for (card, owner) in cardOwner.enumerated() {
            if let owner { assignment[owner] = card }
        }
        return assignment
    }

    private static func augment(
        _ requirement: Int, _ candidates: [[Int]], _ owner: inout [Int?], _ visited: inout [Bool]
    ) -> Bool {
        for card in candidates[requirement] where !visited[card] {
            visited[card] = true
            if owner[card] == nil || augment(owner[card]!, candidates, &owner, &visited) {
                owner[card] = requirement
                return true
            }
        }
        return false
    }
}
