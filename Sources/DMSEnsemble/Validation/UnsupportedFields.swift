/// Fields an ensemble may validly use that this node does not act on yet. Each is refused, by `nunet validate`
/// and by the node, as "not supported by this node yet: <path>", rather than validated and then silently
/// ignored (a job that needs a shared volume must not run without it).
public enum UnsupportedFields {
    public static let message = "not supported by this node yet"

    /// The paths of every unsupported field the ensemble sets, in a stable order.
    public static func paths(in ensemble: Ensemble) -> [String] {
        var paths: [String] = []
        if !ensemble.keys.isEmpty { paths.append("keys") }
        if !ensemble.scripts.isEmpty { paths.append("scripts") }
        if ensemble.subnet != nil { paths.append("subnet") }
        if !ensemble.edges.isEmpty { paths.append("edge_constraints") }
        if !ensemble.contracts.isEmpty { paths.append("contracts") }
        for (name, allocation) in ensemble.allocations.sorted(by: { $0.key < $1.key }) {
            let base = "allocations.\(name)"
            if !allocation.keys.isEmpty { paths.append("\(base).keys") }
            if !allocation.provision.isEmpty { paths.append("\(base).provision") }
            for (index, volume) in allocation.volumes.enumerated() where volume.type != .local {
                paths.append("\(base).volume[\(index)].type (\(volume.type.rawValue))")
            }
            if case .docker(let docker) = allocation.execution, docker.restartPolicy != nil {
                paths.append("\(base).execution.restart_policy (restarts are the supervisor's: failure_recovery)")
            }
        }
        for (name, node) in ensemble.nodes.sorted(by: { $0.key < $1.key }) where node.redundancy > 0 {
            paths.append("nodes.\(name).redundancy")
        }
        return paths
    }

    /// One line per unsupported field, or nil when there is none.
    public static func report(_ ensemble: Ensemble) -> String? {
        let paths = paths(in: ensemble)
        return paths.isEmpty ? nil : paths.map { "\(message): \($0)" }.joined(separator: "\n")
    }
}
