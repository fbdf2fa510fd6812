import DMSCore
import Foundation
import NunetTestSupport
import Testing

@Suite struct ConfigCommandTests {
    @Test func setThenGetThenShow() async throws {
        var home = CLITestHome()
        let set = try await home.run("config", "set", "rest.port", "9191")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout == "rest.port = 9191 (saved to \(home.nunetHome)/dms_config.json)\n")
        #expect(try await home.run("config", "get", "rest.port").stdout == "9191\n")

        home.extraEnvironment["DMS_REST_ADDR"] = "::1"
        let shown = try JSONParser.parse(try await home.run("config", "show").stdout)
        #expect(shown["rest"]?["port"]?["value"] == .integer(9191))
        #expect(shown["rest"]?["port"]?["source"] == .string("file \(home.nunetHome)/dms_config.json"))
        #expect(shown["rest"]?["addr"]?["source"] == .string("env DMS_REST_ADDR"))
        home.extraEnvironment["DMS_P2P_LISTEN_ADDRESSES"] = nil  // the default, not the tests' loopback port
        #expect(
            try await home.run("config", "get", "p2p.listen_addresses").stdout == #"["/ip4/0.0.0.0/tcp/9000"]"# + "\n")
    }

    @Test func badKeysAndValuesAreOneLineErrorsThatChangeNothing() async throws {
        let home = CLITestHome()
        let unknown = try await home.run("config", "get", "rest.prot")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("did you mean \"rest.port\"?"))
        let invalid = try await home.run("config", "set", "general.log_level", "chatty")
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("invalid value for general.log_level"))
        #expect(invalid.stderr.contains("one of trace, debug, info, notice, warning, error, critical"))
        #expect(!FileManager.default.fileExists(atPath: home.nunetHome + "/dms_config.json"))
    }

    @Test func editFailsClearlyWithoutAnEditor() async throws {
        let home = CLITestHome()
        let result = try await home.run("config", "edit")
        #expect(result.status == 1)
        #expect(result.stderr.contains("EDITOR is not set"))
    }

    @Test func editSavesAValidResultAndRefusesAnInvalidOne() async throws {
        var home = CLITestHome()
        let editor = home.root.write("editor.sh", "#!/bin/sh\nprintf '{\"rest\": {\"port\": 9393}}' > \"$1\"\n")
        chmod(editor, 0o755)
        home.extraEnvironment["EDITOR"] = editor
        let saved = try await home.run("config", "edit")
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(try await home.run("config", "get", "rest.port").stdout == "9393\n")

        let breaker = home.root.write("breaker.sh", "#!/bin/sh\nprintf '{\"rest\": {\"port\": \"x\"}}' > \"$1\"\n")
        chmod(breaker, 0o755)
        home.extraEnvironment["EDITOR"] = breaker
        let refused = try await home.run("config", "edit")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("invalid value for rest.port"), "\(refused.stderr)")
        #expect(refused.stderr.contains("is unchanged"))
        #expect(try await home.run("config", "get", "rest.port").stdout == "9393\n")
    }
}
