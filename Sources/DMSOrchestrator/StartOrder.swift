import DMSEnsemble

/// The order allocations start in: every allocation after the ones it depends on (validation already
/// ruled out cycles), ties by name so the order is stable.
public enum StartOrder {
    public static func sequence(_ ensemble: Ensemble) -> [String] {
        var ordered: [String] = []
        var placed = Set<String>()
        var remaining = ensemble.allocations.keys.sorted()
        while !remaining.isEmpty {
            let ready = remaining.filter { name in
                ensemble.allocations[name]!.dependsOn.allSatisfy { placed.contains($0) }
            }
            // A cycle cannot pass validation; if one ever got here, start the rest in name order.
            let next = ready.isEmpty ? remaining : ready
            ordered += next
            placed.formUnion(next)
            remaining.removeAll { placed.contains($0) }
        }
        return ordered
    }
}
