import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// `nunet rest token new|list|revoke` as an operator uses them: the token is printed once, the file keeps
/// only its hash, and bad input is refused naming the field, the value and the rule.
@Suite struct RestTokenCommandTests {
    @Test func newListRevoke() async throws {
        let home = CLITestHome()
        let created = try await home.run("rest", "token", "new", "laptop")
        #expect(created.status == 0, "\(created.stderr)")
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("nunet_"), "\(token)")
        #expect(created.stderr.contains("not shown again"))
        let file = try String(contentsOfFile: home.nunetHome + "/rest_tokens.json", encoding: .utf8)
        #expect(!file.contains(token))

        let listed = try await home.run("rest", "token", "list", "--json")
        #expect(listed.status == 0, "\(listed.stderr)")
        guard case .array(let entries) = try JSONParser.parse(listed.stdout), entries.count == 1 else {
            Issue.record("not one token listed: \(listed.stdout)")
            return
        }
        #expect(entries[0]["name"] == .string("laptop"))
        #expect(!listed.stdout.contains(token))

        let duplicate = try await home.run("rest", "token", "new", "laptop")
        #expect(duplicate.status == 1)
        #expect(duplicate.stderr.contains(#"name: "laptop" is already the name of a token"#), "\(duplicate.stderr)")
        let badName = try await home.run("rest", "token", "new", "my laptop")
        #expect(badName.status == 1)
        #expect(badName.stderr.contains(#"name: "my laptop" must be 1 to 64 ASCII letters"#), "\(badName.stderr)")

        let revoked = try await home.run("rest", "token", "revoke", "laptop")
        #expect(revoked.status == 0, "\(revoked.stderr)")
        #expect(try await home.run("rest", "token", "list").stdout.isEmpty)
        let unknown = try await home.run("rest", "token", "revoke", "laptop")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains(#"token: "laptop" is neither the ID nor the name of a token"#))
    }
}
