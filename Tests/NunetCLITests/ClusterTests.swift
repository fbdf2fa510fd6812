import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// The network through the CLI against real daemons on this machine, started by `scripts/nunet-cluster`:
/// broadcasts reach every node, unpinned ensembles land on remote providers found through the bid topic,
/// a provider that dies is replaced, a late joiner hears what is sent after it joined, and a node that does
/// not trust the orchestrator never bids.
@Suite struct ClusterTests {
    /// The peer IDs that answered `/broadcast/hello` sent through node `number`, once `expected` of them do
    /// (meshes form on the heartbeat after peers connect).
    func hellos(_ cluster: DaemonCluster, from number: Int, expecting expected: Int) async throws -> Set<String> {
        var peers: Set<String> = []
        for _ in 0..<40 {
            let replies = try await cluster.json(on: number, "actor", "cmd", "/broadcast/hello", "--timeout", "3s")
            guard case .array(let hellos) = replies else { throw CLITestError("not a list of hellos: \(replies)") }
            peers = Set(hellos.compactMap { if case .string(let peer)? = $0["PeerID"] { peer } else { nil } })
            if peers.count >= expected { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        return peers
    }

    /// Onboards `cores` cores, 12% of the machine's RAM (within the 10–90% rule) and 1 GiB of disk on node
    /// `number`, as the user who controls it, with `extra` flags (the provider's terms).
    func onboard(_ cluster: DaemonCluster, _ number: Int, cores: Int = 1, _ extra: String...) async throws {
        let hardware = try await cluster.json(on: number, "hardware", "--json")
        guard let ram = CLITestHome.machine(inHardware: hardware)?.ram else {
            throw CLITestError("no RAM in \(hardware)")
        }
        let mebibytes = (ram * 12 / 100) >> 20
        let onboarded = try await cluster.run(
            on: number,
            ["onboard", "--cpu", String(cores), "--ram", "\(mebibytes)MiB", "--disk", "1GiB", "--no-gpu"] + extra)
        guard onboarded.status == 0 else { throw CLITestError("onboarding node \(number): \(onboarded.stderr)") }
    }

    /// An ensemble allocation (YAML under `allocations:`) that needs one core and prints "<name> ran".
    static func nullTask(_ name: String) -> String {
        [
            "  \(name):", "    type: task", "    executor: null",
            "    resources: {cpu: {cores: 1}, ram: {size: 64MiB}, disk: {size: 64MiB}}",
            "    execution: {type: null, stdout: \"\(name) ran\"}",
        ].joined(separator: "\n")
    }

    /// The provider peer of every allocation in a deployment's status.
    func placements(_ cluster: DaemonCluster, _ id: String, on number: Int = 1) async throws -> [String: String] {
        let status = try await cluster.json(on: number, "get", "deployment", id, "--json")
        guard case .object(let allocations)? = status["Allocations"] else { return [:] }
        var peers: [String: String] = [:]
        for (name, entry) in allocations {
            if case .string(let host)? = entry["handle"]?["host"] { peers[name] = host }
        }
        return peers
    }

    func status(_ cluster: DaemonCluster, _ id: String) async throws -> String {
        let status = try await cluster.json(on: 1, "get", "deployment", id, "--json")
        if case .string(let name)? = status["Status"] { return name }
        return ""
    }

    @Test func helloDeploymentsAndRedeployAcrossFiveDaemons() async throws {
        let cluster = try await DaemonCluster.start(5)
        defer { cluster.stop() }
        let everyone = Set(cluster.nodes.map(\.peerID))
        #expect(try await hellos(cluster, from: 1, expecting: 5) == everyone)

        // Providers 2 to 5 offer one core each; node 1 orchestrates and offers nothing.
        for number in 2...5 { try await onboard(cluster, number) }
        try Data(WasmFixtures.print("hello from wasm\n")).write(
            to: URL(fileURLWithPath: cluster.node(1).home).appendingPathComponent("hello.wasm"))
        _ = cluster.directory.write(
            "node-1/three.yaml",
            """
            version: V1
            allocations:
              greet:
                type: task
                executor: wasm
                resources: {cpu: {cores: 1}, ram: {size: 64MiB}, disk: {size: 64MiB}}
                execution: {type: wasm, module: hello.wasm, fuel: 10000000}
            \(Self.nullTask("one"))
            \(Self.nullTask("two"))
            nodes:
              first: {allocations: [greet]}
              second: {allocations: [one]}
              third: {allocations: [two]}
            """)
        let deployed = try await cluster.run(on: 1, "deploy", "-f", "three.yaml", "--wait")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        #expect(deployed.stdout.contains("Completed"), "\(deployed.stdout)")
        let id = try #require(CLITestHome.deploymentID(deployed.stdout))
        let used = Set(try await placements(cluster, id).values)
        #expect(used.count == 3, "three different providers: \(used)")
        #expect(!used.contains(cluster.node(1).peerID), "the orchestrator offered nothing")
        #expect(used.isSubset(of: everyone))
        #expect(try await cluster.run(on: 1, "logs", id, "greet").stdout == "hello from wasm\n")
        #expect(try await cluster.run(on: 1, "logs", id, "one").stdout == "one ran")
        #expect(try await cluster.run(on: 1, "logs", id, "two").stdout == "two ran")

        // A service whose provider is killed with SIGKILL is placed again elsewhere.
        _ = cluster.directory.write(
            "node-1/service.yaml",
            """
            version: V1
            allocations:
              web:
                type: service
                executor: null
                resources: {cpu: {cores: 1}, ram: {size: 64MiB}, disk: {size: 64MiB}}
                execution: {type: null}
            nodes:
              site: {allocations: [web], failure_recovery: redeploy}
            """)
        let service = try await cluster.run(on: 1, "deploy", "-f", "service.yaml", "--wait")
        #expect(service.status == 0, "\(service.stdout)\(service.stderr)")
        let serviceID = try #require(CLITestHome.deploymentID(service.stdout))
        let host = try #require(try await placements(cluster, serviceID).values.first)
        let victim = try #require(cluster.nodes.firstIndex { $0.peerID == host }) + 1
        cluster.kill(victim)
        var moved: String?
        for _ in 0..<120 {
            try await Task.sleep(for: .milliseconds(250))
            if let now = try await placements(cluster, serviceID).values.first, now != host,
                try await status(cluster, serviceID) == "Running"
            {
                moved = now
                break
            }
        }
        #expect(moved != nil, "still on the killed provider \(host)")
        #expect(moved != cluster.node(1).peerID)
        #expect(try await cluster.run(on: 1, "deployment", "shutdown", serviceID).status == 0)
    }

    @Test func aLateJoinerHearsBroadcastsAndAStrangerNeverBids() async throws {
        let cluster = try await DaemonCluster.start(3)
        defer { cluster.stop() }
        #expect(try await hellos(cluster, from: 1, expecting: 3).count == 3)

        // A daemon that joins later answers the broadcasts sent after it joined.
        let late = try await cluster.add()
        #expect(try await hellos(cluster, from: 1, expecting: 4).contains(late.peerID))

        // A stranger (its own user, no trust in the cluster's organisation) hears the bid request but is
        // not authorised to answer it: the only provider big enough, it is never offered.
        let stranger = try await cluster.add(stranger: true)
        let strangerNumber = cluster.nodes.count
        try await onboard(cluster, strangerNumber, cores: 2)
        try await onboard(cluster, 2)
        _ = cluster.directory.write(
            "node-1/big.yaml",
            """
            version: V1
            allocations:
              big:
                type: task
                executor: null
                resources: {cpu: {cores: 2}, ram: {size: 64MiB}, disk: {size: 64MiB}}
                execution: {type: null}
            """)
        let refused = try await cluster.run(on: 1, "deploy", "-f", "big.yaml", "--wait", "--timeout", "10s")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("no fit"), "\(refused.stderr)")
        #expect(refused.stderr.contains(cluster.node(2).peerID), "the trusted provider declined: \(refused.stderr)")
        #expect(!refused.stderr.contains(stranger.peerID), "the stranger bid: \(refused.stderr)")
        let stats = try await cluster.json(on: strangerNumber, "actor", "cmd", "/dms/node/stats")
        guard case .array(let actors)? = stats["actors"], let root = actors.first else {
            Issue.record("no statistics: \(stats)")
            return
        }
        guard case .number(let refusals)? = root["statistics"]?["rejected"]?["not_authorized"] else {
            Issue.record("the stranger refused nothing: \(root)")
            return
        }
        #expect((Int(refusals) ?? 0) >= 1)
    }
}
