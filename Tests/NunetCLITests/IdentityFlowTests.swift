import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// The user journeys J1–J3 of the Go DMS documentation, run through the real binary.
@Suite struct IdentityFlowTests {
    static let nunetNetworkDID = "did:key:zzCHUybNYmK8QsttZwXqUX8aDLoBGHnMCakDX2RpsGwmXmYHEW"

    func home() -> CLITestHome {
        var home = CLITestHome()
        home.extraEnvironment["DMS_PASSPHRASE"] = "journey passphrase"
        // Cheaper scrypt for new keys keeps the suite fast; the file format is unchanged.
        home.extraEnvironment["DMS_GENERAL_KEYSTORE_KDF_COST"] = "12"
        return home
    }

    /// Runs a command that must succeed and returns its trimmed standard output.
    @discardableResult
    func ok(_ home: CLITestHome, _ arguments: String...) async throws -> String {
        let result = try await NunetProcess.run(
            arguments, environment: home.environment, directory: home.workingDirectory)
        #expect(result.status == 0, "nunet \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func anchors(_ home: CLITestHome, _ context: String) async throws -> JSONValue {
        try JSONParser.parse(try await ok(home, "cap", "list", "--context", context, "--json"))
    }

    @Test func j1IdentitiesAndTheControllerAnchor() async throws {
        let home = home()
        let user = try await ok(home, "cap", "new", "user")
        #expect(user.hasPrefix("did:key:z6Mk"))
        #expect(try await ok(home, "key", "did", "user") == user)
        #expect(try await ok(home, "key", "did", "user") == user)
        let dms = try await ok(home, "cap", "new", "dms")
        try await ok(home, "cap", "anchor", "--context", "dms", "--root", user)
        #expect(try await anchors(home, "dms")["roots"] == .array([.string(user)]))
        #expect(try await anchors(home, "dms")["did"] == .string(dms))
        let listing = try await ok(home, "key", "list")
        #expect(listing.contains("user\t\(user)"))
        #expect(listing.contains("dms\t\(dms)"))
        let keyFile = home.nunetHome + "/key/user.json"
        #expect(try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int == 0o600)
    }

    @Test func j2JoiningThePublicNetwork() async throws {
        let home = home()
        let user = try await ok(home, "cap", "new", "user")
        let dms = try await ok(home, "cap", "new", "dms")
        // 1-2: allow NuNet-authorised peers to invoke public behaviors on this DMS.
        let grant = try await ok(
            home, "cap", "grant", "--context", "user", "--cap", "/public", "--cap", "/broadcast", "--topic", "/nunet",
            "--expiry", "2099-12-31", Self.nunetNetworkDID)
        let granted = try JSONParser.parse(grant)
        guard case .array(let tokens)? = granted["tok"] else {
            Issue.record("not a token list")
            return
        }
        #expect(tokens.first?["dms"]?["sub"]?["uri"] == .string(Self.nunetNetworkDID))
        try await ok(home, "cap", "anchor", "--context", "dms", "--require", grant)
        // 3: a token from the network for the user (an organisation key stands in for NuNet's Ledger key).
        let network = try await ok(home, "cap", "new", "network")
        let fromNetwork = try await ok(
            home, "cap", "grant", "--context", "network", "--cap", "/public", "--cap", "/broadcast", "--topic",
            "/nunet",
            "--expiry", "2099-12-31", user)
        try await ok(home, "cap", "anchor", "--context", "user", "--provide", fromNetwork)
        // 4-5: delegate to the DMS and anchor it there.
        let delegation = try await ok(
            home, "cap", "delegate", "--context", "user", "--cap", "/public", "--cap", "/broadcast", "--topic",
            "/nunet",
            "--expiry", "2099-12-31", dms)
        try await ok(home, "cap", "anchor", "--context", "dms", "--provide", delegation)
        let dmsAnchors = try await anchors(home, "dms")
        guard case .array(let provided)? = dmsAnchors["provide"]?["tok"] else {
            Issue.record("no provide")
            return
        }
        #expect(provided.first?["dms"]?["chain"]?["dms"]?["iss"]?["uri"] == .string(network))
        guard case .array(let required)? = dmsAnchors["require"]?["tok"] else {
            Issue.record("no require")
            return
        }
        #expect(required.count == 1)
    }

    @Test func j3APrivateOrganisationNetwork() async throws {
        let home = home()
        let org = try await ok(home, "key", "new", "myorg")
        try await ok(home, "cap", "new", "myorg")
        let user = try await ok(home, "cap", "new", "user")
        let dms = try await ok(home, "cap", "new", "dms")
        let caps = ["--cap", "/dms/deployment", "--cap", "/broadcast", "--cap", "/public", "--topic", "/nunet"]
        let run = { (arguments: [String]) async throws -> String in
            let result = try await NunetProcess.run(
                arguments, environment: home.environment, directory: home.workingDirectory)
            #expect(result.status == 0, "nunet \(arguments.joined(separator: " ")): \(result.stderr)")
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let token1 = try await run(["cap", "grant", "--context", "myorg"] + caps + ["--expiry", "2099-01-01", user])
        _ = try await run(["cap", "anchor", "--context", "user", "--provide", token1])
        let token2 = try await run(["cap", "grant", "--context", "user"] + caps + ["--expiry", "2099-01-01", org])
        _ = try await run(["cap", "anchor", "--context", "dms", "--require", token2])
        let token3 = try await run(["cap", "delegate", "--context", "user"] + caps + ["--expiry", "2099-01-01", dms])
        _ = try await run(["cap", "anchor", "--context", "dms", "--provide", token3])
        let listing = try await ok(home, "cap", "list", "--context", "dms")
        #expect(
            listing.contains(
                "provide:\n  delegate /dms/deployment,/broadcast,/public topics /nunet from \(user) to \(dms)"))
        #expect(
            listing.contains(
                "require:\n  delegate /dms/deployment,/broadcast,/public topics /nunet from \(user) to \(org)"))

        // Widening the capabilities or the expiry of what the organisation granted is refused.
        let widened = try await home.run(
            "cap", "delegate", "--context", "user", "--cap", "/dms/node", "--expiry", "2099-01-01", dms)
        #expect(widened.status == 1)
        #expect(widened.stderr.contains("does not cover /dms/node"), "\(widened.stderr)")
        let longer = try await home.run(
            "cap", "delegate", "--context", "user", "--cap", "/public", "--expiry", "2100-01-01", dms)
        #expect(longer.stderr.contains("before the requested expiry"), "\(longer.stderr)")

        // The organisation revokes token 1; once the user anchors the revocation the delegation path is gone.
        let revocation = try await run(["cap", "revoke", "--context", "myorg", token1])
        _ = try await run(["cap", "anchor", "--context", "user", "--revoke", revocation])
        let afterRevocation = try await home.run(
            "cap", "delegate", "--context", "user", "--cap", "/public", "--expiry", "2099-01-01", dms)
        #expect(afterRevocation.status == 1)
        #expect(afterRevocation.stderr.contains("no provide anchors"), "\(afterRevocation.stderr)")
    }
}
