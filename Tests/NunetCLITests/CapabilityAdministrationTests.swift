import DMSCapabilities
import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// `nunet cap revoke --broadcast` and the `/dms/cap/...` behaviors through the daemon: the revocation is
/// anchored in the daemon's context file and listed by `/dms/cap/list`; bad input is refused with the reason.
@Suite struct CapabilityAdministrationTests {
    @Test func aRevocationHandedToTheDaemonIsKeptListedAndBroadcast() async throws {
        let home = CLITestHome()
        let (daemon, client) = try await home.startControlledDaemon()
        defer { daemon.signal(SIGTERM) }
        let friend = try await client.run("cap", "new", "friend").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let grant = try await client.run(
            "cap", "grant", "--context", "user", "--cap", "/public", "--duration", "1h", friend)
        #expect(grant.status == 0, "\(grant.stderr)")

        let revoked = try await client.run("cap", "revoke", "--context", "user", "--broadcast", grant.stdout)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        let revocation = try TokenList(parsing: revoked.stdout).tokens
        #expect(revocation.count == 1 && revocation.first?.action == .revoke)

        let listed = try JSONParser.parse(try await client.run("actor", "cmd", "/dms/cap/list").stdout)
        #expect(listed["OK"] == .bool(true))
        #expect(try TokenList(json: try #require(listed["Revoke"])).tokens == revocation)
        let onDisk = try JSONParser.parse(try await client.run("cap", "list", "--context", "dms", "--json").stdout)
        #expect(try TokenList(json: try #require(onDisk["revoke"])).tokens == revocation)
        let again = try await client.run("cap", "broadcast")
        #expect(again.status == 0 && again.stdout.contains("broadcast 1 revocation"), "\(again.stdout) \(again.stderr)")

        let notRevoke = try await client.run("actor", "cmd", "/dms/cap/revoke/anchor", "--token", grant.stdout)
        #expect(notRevoke.status == 1)
        #expect(notRevoke.stderr.contains("must be a revoke token"), "\(notRevoke.stderr)")
        let unchanged = try JSONParser.parse(try await client.run("actor", "cmd", "/dms/cap/list").stdout)
        #expect(unchanged == listed)
    }
}
