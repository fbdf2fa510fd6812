import DMSCore
import Foundation
import NunetTestSupport
import Testing

extension ClusterTests {
    /// The peers `nunet peers list` shows on node `number`.
    func listedPeers(_ cluster: DaemonCluster, on number: Int) async throws -> Set<String> {
        let listed = try await cluster.json(on: number, "peers", "list", "--json")
        guard case .array(let peers)? = listed["Peers"] else { throw CLITestError("no Peers in \(listed)") }
        return Set(peers.compactMap { if case .string(let peer) = $0 { peer } else { nil } })
    }

    /// Twenty daemons where node K was told only of node K-1: the DHT and rendezvous discovery make them
    /// find one another, and a deployment from the last node lands on providers it was never told of.
    @Test func twentyDaemonsThatEachKnowOnePeerFindTheRest() async throws {
        let cluster = try await DaemonCluster.start(20, chain: true)
        defer { cluster.stop() }
        let everyone = cluster.nodes.map(\.peerID)
        var known: [Set<String>] = []
        for _ in 0..<60 {
            known = []
            for number in 1...20 { known.append(try await listedPeers(cluster, on: number)) }
            if known.allSatisfy({ $0.count >= 15 }) { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        for (index, peers) in known.enumerated() {
            #expect(peers.count >= 15, "node \(index + 1) knows \(peers.count) of 19 peers")
            #expect(peers.isSubset(of: Set(everyone)) && !peers.contains(everyone[index]))
        }
        let table = try await cluster.run(on: 20, "peers", "list")
        #expect(table.stdout.contains(everyone[0]), "node 20 lists node 1, never named to it: \(table.stdout)")
        let dht = try await cluster.run(on: 20, "peers", "dht")
        #expect(dht.stdout.hasPrefix("mode: server"), "\(dht.stdout)")

        // Only nodes 1 to 3 offer anything; node 20 orchestrates.
        for number in 1...3 { try await onboard(cluster, number) }
        _ = cluster.directory.write(
            "node-20/pair.yaml",
            """
            version: V1
            allocations:
            \(Self.nullTask("one"))
            \(Self.nullTask("two"))
            nodes:
              first: {allocations: [one]}
              second: {allocations: [two]}
            """)
        let deployed = try await cluster.run(on: 20, "deploy", "-f", "pair.yaml", "--wait")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        let id = try #require(CLITestHome.deploymentID(deployed.stdout))
        let used = Set(try await placements(cluster, id, on: 20).values)
        #expect(used.count == 2 && used.isSubset(of: Set(everyone.prefix(3))), "placed on \(used)")
        #expect(try await cluster.run(on: 20, "logs", id, "two").stdout == "two ran")
    }
}
