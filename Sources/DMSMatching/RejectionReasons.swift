import DMSCore
import DMSEnsemble

/// Why an offer cannot take a node in a given state, in words a user can act on. The rules are checked
/// in the order a user would fix them: those of the ensemble and provider first, then what other nodes
/// took.
enum RejectionReasons {
    static let excluded = "excluded by the ensemble"
    static let pinnedPeerSilent = "pinned peer did not answer"

    /// The first rule that keeps `node` off `offer`, or nil if it fits.
    static func reason(_ node: Int, on offer: Int, _ problem: MatchingProblem, _ state: MatchingState) -> String? {
        let demand = problem.nodes[node]
        let answer = problem.offers[offer]
        if problem.excluded[offer] { return excluded }
        if let pinned = demand.pinnedPeer, pinned != answer.peer { return "node is pinned to peer \(pinned)" }
        if demand.pinnedPeer == nil && !demand.location.admits(answer.location) {
            return "location \(describe(answer.location)) not accepted"
        }
        let terms = answer.capability.shortfalls(for: problem.terms[problem.termsOf[node]], at: problem.now)
        if !terms.isEmpty { return terms.joined(separator: " and ") }
        let missing = ExecutorKind.allCases.filter { demand.executors.contains($0) && !answer.executors.contains($0) }
        if !missing.isEmpty {
            let names = missing.map(\.rawValue).joined(separator: ", ")
            return "\(missing.count == 1 ? "executor" : "executors") \(names) not offered"
        }
        let range = "\(answer.portRange.lowerBound)-\(answer.portRange.upperBound)"
        for port in problem.staticPorts[node] {
            if !answer.portRange.contains(port) || !MatchingProblem.validPorts.contains(port) {
                return "port \(port) outside the offered range \(range)"
            }
            if answer.reservedPorts.contains(port) { return "port \(port) already in use" }
            if let other = state.hosted[offer].first(where: { problem.staticPorts[$0].contains(port) }) {
                return "port \(port) taken by node \(problem.nodes[other].name)"
            }
        }
        let (needed, left) = (problem.ports[node], state.ports[offer])
        if needed > left { return "ports: need \(needed), \(left) free" + sharing(offer, problem, state) }
        do throws(ResourceError) {
            _ = try state.free[offer].placement(of: problem.demands[node])
        } catch {
            return error.shortfalls.joined(separator: " and ") + sharing(offer, problem, state)
        }
        return nil
    }

    /// ` (with node a placed here)`, so a shortfall caused by the ensemble's own nodes reads as such.
    private static func sharing(_ offer: Int, _ problem: MatchingProblem, _ state: MatchingState) -> String {
        let others = state.hosted[offer]
        switch others.count {
        case 0: return ""
        case 1: return " (with node \(problem.nodes[others[0]].name) placed here)"
        case 2, 3: return " (with nodes \(others.map { problem.nodes[$0].name }.joined(separator: ", ")) placed here)"
        default: return " (with \(others.count) other nodes placed here)"
        }
    }

    /// `Europe/DE/Berlin AS3320 Telekom`, or `unknown`.
    private static func describe(_ location: Location?) -> String {
        guard let location else { return "unknown" }
        var text = [location.continent, location.country, location.city].filter { !$0.isEmpty }.joined(separator: "/")
        if location.asn > 0 { text += " AS\(location.asn)" }
        if !location.isp.isEmpty { text += " \(location.isp)" }
        return text
    }
}
