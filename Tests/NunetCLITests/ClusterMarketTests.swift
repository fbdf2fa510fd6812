import DMSCore
import Foundation
import NunetTestSupport
import Testing

extension ClusterTests {
    /// Three providers that price their machines and limit job time through `nunet onboard`: a deployment
    /// with a price ceiling lands on the cheapest one that takes it, raising that provider's price moves the
    /// next one elsewhere, `--max-cost` refuses a dearer placement, and a ceiling no one meets fails with
    /// every provider's reason.
    @Test func pricedProvidersWinByCostWithinTheEnsemblesCeiling() async throws {
        let cluster = try await DaemonCluster.start(4)
        defer { cluster.stop() }
        _ = try await hellos(cluster, from: 1, expecting: 4)
        try await onboard(cluster, 2, "--price-per-hour", "0.8")
        try await onboard(cluster, 3, "--price-per-hour", "0.3", "--max-job-time", "1h")
        try await onboard(cluster, 4, "--price-per-hour", "0.5", "--currency", "ntx")
        let resources = try await cluster.run(on: 3, "resources")
        #expect(
            resources.stdout.contains("offer: 0.3 NTX/h; jobs up to 1 h; public ports; no VPN"), "\(resources.stdout)")
        let (dear, limited, middle) = (cluster.node(2).peerID, cluster.node(3).peerID, cluster.node(4).peerID)
        func ensemble(ceiling: Double) -> String {
            CLITestHome.nullTask(
                "requirements: {price: {currency: NTX, max_per_hour: \(ceiling)}, duration: 2h}", stdout: "priced")
        }
        _ = cluster.directory.write("node-1/priced.yaml", ensemble(ceiling: 1))

        let first = try await cluster.run(on: 1, "deploy", "-f", "priced.yaml", "--wait")
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(
            first.stdout.contains("placed job on \(middle); estimated cost 1 NTX (job 1 NTX (0.5 NTX/h × 2 h))"),
            "\(first.stdout)")
        let firstID = try #require(CLITestHome.deploymentID(first.stdout))
        #expect(try await placements(cluster, firstID)["job"] == middle)
        let shown = try await cluster.run(on: 1, "get", "deployment", firstID)
        #expect(shown.stdout.contains("0.5 NTX/h"), "\(shown.stdout)")
        #expect(shown.stdout.contains("1 NTX"), "\(shown.stdout)")

        // The cheapest provider raises its price: the next deployment goes to the one now cheapest.
        try await onboard(cluster, 4, "--price-per-hour", "0.9")
        let second = try await cluster.run(on: 1, "deploy", "-f", "priced.yaml", "--wait")
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        let secondID = try #require(CLITestHome.deploymentID(second.stdout))
        #expect(try await placements(cluster, secondID)["job"] == dear)

        let capped = try await cluster.run(on: 1, "deploy", "-f", "priced.yaml", "--wait", "--max-cost", "1.5NTX")
        #expect(capped.status == 1)
        #expect(capped.stderr.contains("estimated cost 1.6 NTX above --max-cost 1.5 NTX"), "\(capped.stderr)")

        _ = cluster.directory.write("node-1/cheap.yaml", ensemble(ceiling: 0.4))
        let refused = try await cluster.run(on: 1, "deploy", "-f", "cheap.yaml", "--wait")
        #expect(refused.status == 1)
        for reason in [
            "\(dear): price 0.8 NTX/h above the ceiling 0.4", "\(limited): max job time 1 h, the ensemble needs 2 h",
            "\(middle): price 0.9 NTX/h above the ceiling 0.4",
        ] {
            #expect(refused.stderr.contains(reason), "\(refused.stderr)")
        }

        // Bad terms are refused before anything is sent, naming the value and the rule.
        let bad = try await cluster.run(on: 2, "onboard", "-C", "1", "-R", "1GiB", "-D", "1GiB", "--currency", "DOGE")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("provider.currency") && bad.stderr.contains("DOGE"), "\(bad.stderr)")
    }
}
