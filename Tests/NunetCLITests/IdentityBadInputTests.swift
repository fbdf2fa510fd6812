import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// Bad input to the identity commands: one line naming the problem, non-zero exit, nothing written.
@Suite struct IdentityBadInputTests {
    func prepared() async throws -> CLITestHome {
        var home = CLITestHome()
        home.extraEnvironment["DMS_PASSPHRASE"] = "pass"
        home.extraEnvironment["DMS_GENERAL_KEYSTORE_KDF_COST"] = "12"
        #expect(try await home.run("cap", "new", "user").status == 0)
        #expect(try await home.run("cap", "new", "dms").status == 0)
        return home
    }

    /// Every file under the data directory with its contents, to prove a failed command wrote nothing.
    func snapshot(_ home: CLITestHome) -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: home.nunetHome)
        while let path = enumerator?.nextObject() as? String {
            files[path] = FileManager.default.contents(atPath: home.nunetHome + "/" + path)
        }
        return files
    }

    func expectRefused(_ home: CLITestHome, _ arguments: [String], mentioning text: String) async throws {
        let before = snapshot(home)
        let result = try await NunetProcess.run(
            arguments, environment: home.environment, directory: home.workingDirectory)
        #expect(result.status != 0, "\(arguments) succeeded")
        #expect(result.stderr.contains(text), "\(arguments): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count <= 4, "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
        #expect(result.stdout.isEmpty)
        #expect(snapshot(home) == before, "\(arguments) changed files")
    }

    @Test func malformedDIDsTokensAndDatesAreRefused() async throws {
        let home = try await prepared()
        let grant = ["cap", "grant", "--context", "user", "--cap", "/public"]
        try await expectRefused(
            home, grant + ["--expiry", "2099-01-01", "did:key:notbase58!"],
            mentioning: "invalid DID \"did:key:notbase58!\"")
        try await expectRefused(home, grant + ["--expiry", "2099-01-01", "someone"], mentioning: "a DID has the form")
        try await expectRefused(
            home, grant + ["--expiry", "2099-13-45", "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7"],
            mentioning: "invalid time \"2099-13-45\"")
        try await expectRefused(
            home, grant + ["--expiry", "2001-01-01", "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7"],
            mentioning: "is in the past")
        try await expectRefused(
            home, grant + ["--duration", "soon", "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7"],
            mentioning: "invalid time \"soon\"")
        try await expectRefused(
            home, grant + ["did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7"],
            mentioning: "--expiry or --duration is required")
        try await expectRefused(
            home,
            [
                "cap", "grant", "--context", "user", "--cap", "public/", "--duration", "1h",
                "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7",
            ], mentioning: "invalid capability \"public/\"")
        try await expectRefused(
            home, ["cap", "anchor", "--context", "dms", "--require", "{\"tok\":[{\"dms\":{\"act\":\"x\"}}]}"],
            mentioning: "malformed token")
        try await expectRefused(
            home, ["cap", "anchor", "--context", "dms", "--provide", "not json"], mentioning: "not valid JSON")
        try await expectRefused(
            home, ["cap", "anchor", "--context", "dms", "--root", "did:web:example.com"],
            mentioning: "only did:key is supported")
        try await expectRefused(home, ["cap", "anchor", "--context", "dms"], mentioning: "exactly one of --root")
    }

    @Test func aTamperedTokenIsRefusedAsAnAnchor() async throws {
        let home = try await prepared()
        let dms = try await home.run("key", "did", "dms").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let grant = try await home.run("cap", "grant", "--context", "user", "--cap", "/public", "--duration", "1h", dms)
            .stdout
        let tampered = grant.replacingOccurrences(of: "\"/public\"", with: "\"/\"")
        try await expectRefused(
            home, ["cap", "anchor", "--context", "dms", "--provide", tampered], mentioning: "bad token signature")
    }

    @Test func unknownContextsAndKeysAndWrongPassphrasesAreNamed() async throws {
        var home = try await prepared()
        try await expectRefused(
            home, ["cap", "list", "--context", "ghost"], mentioning: "capability context \"ghost\" not found")
        try await expectRefused(home, ["key", "delete", "ghost"], mentioning: "key \"ghost\" not found")
        try await expectRefused(home, ["key", "new", "user"], mentioning: "key \"user\" already exists")
        try await expectRefused(home, ["cap", "new", "user"], mentioning: "use --force to replace it")
        home.extraEnvironment["DMS_PASSPHRASE"] = "wrong"
        try await expectRefused(
            home,
            [
                "cap", "grant", "--context", "user", "--cap", "/public", "--duration", "1h",
                "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7",
            ],
            mentioning: "wrong passphrase for key \"user\"")
        home.extraEnvironment["DMS_PASSPHRASE"] = nil
        try await expectRefused(home, ["key", "delete", "user"], mentioning: "no passphrase: set DMS_PASSPHRASE")
    }

    @Test func aCorruptContextFileIsReportedAndNeverOverwritten() async throws {
        let home = try await prepared()
        let path = home.nunetHome + "/cap/dms.cap"
        try "{\"did\": broken".write(toFile: path, atomically: true, encoding: .utf8)
        try await expectRefused(
            home,
            [
                "cap", "anchor", "--context", "dms", "--root",
                "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7",
            ], mentioning: "\(path) is corrupt")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"did\": broken")
    }
}
