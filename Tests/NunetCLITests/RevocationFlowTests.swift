import DMSCapabilities
import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// Two daemons over libp2p: an organisation that administers both revokes what it granted the user and
/// node A; provider B, whose context file never had the revocations, learns them from the network and
/// refuses the user's invocations and A's new deployment with the reason.
@Suite struct RevocationFlowTests {
    @Test func aProviderRefusesWhatWasRevokedOnAnotherNode() async throws {
        let first = CLITestHome()
        let (daemonA, clientA) = try await first.startControlledDaemon()
        defer { daemonA.signal(SIGTERM) }
        let org = try await clientA.run("cap", "new", "org").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await clientA.run("cap", "anchor", "--context", "dms", "--root", org).status == 0)
        let user = try await clientA.run("key", "did", "user").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (didA, peerA, listenA) = try await clientA.nodeIdentity()
        // The organisation lets the user administer nodes and node A deploy on them.
        let toUser = try await clientA.run(
            "cap", "grant", "--context", "org", "--cap", "/dms/node", "--duration", "1h", user
        ).stdout
        #expect(try await clientA.run("cap", "anchor", "--context", "user", "--provide", toUser).status == 0)
        let toA = try await clientA.run("cap", "grant", "--context", "org", "--cap", "/dms", "--duration", "1h", didA)
            .stdout
        let provided = try await clientA.run("actor", "cmd", "/dms/cap/provide/anchor", "--token", toA)
        #expect(provided.status == 0, "\(provided.stderr)")

        // Provider B trusts the organisation.
        let (daemonB, second, _, peerB) = try await clientA.startProvider(
            bootstrap: "\(listenA)/p2p/\(peerA)", roots: [org])
        defer { daemonB.signal(SIGTERM) }
        let reachable = try await clientA.untilReachable(peerB, "/dms/node/peers/self")
        #expect(reachable.status == 0, "\(reachable.stderr)")
        first.root.write("work/remote.yaml", CLITestHome.nullTask("peer: \(peerB)", stdout: "ran on B"))
        let deployed = try await clientA.run("deploy", "-f", "remote.yaml", "--wait")
        #expect(deployed.status == 0 && deployed.stdout.contains("Completed"), "\(deployed.stdout) \(deployed.stderr)")

        // The organisation revokes both grants through node A, which broadcasts them.
        for grant in [toUser, toA] {
            let revoked = try await clientA.run("cap", "revoke", "--context", "org", "--broadcast", grant)
            #expect(revoked.status == 0, "\(revoked.stderr)")
        }
        func revocationsOnB() async throws -> Int {
            let listed = try JSONParser.parse(try await second.run("cap", "list", "--context", "dms", "--json").stdout)
            return try TokenList(json: listed["revoke"] ?? .null).tokens.count
        }
        for attempt in 1...100 where try await revocationsOnB() < 2 {
            if attempt % 10 == 0 { _ = try await clientA.run("cap", "broadcast") }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(try await revocationsOnB() == 2)

        let refused = try await clientA.run("actor", "cmd", "/dms/node/peers/self", "--dest", peerB)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("revoked by its issuer"), "\(refused.stderr)")
        let redeployed = try await clientA.run("deploy", "-f", "remote.yaml", "--wait")
        #expect(redeployed.status == 1)
        #expect(redeployed.stderr.contains("refused the bid request"), "\(redeployed.stdout) \(redeployed.stderr)")
    }
}
