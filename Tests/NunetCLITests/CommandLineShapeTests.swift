import DMSCore
import Foundation
import NunetTestSupport
import Testing

@Suite struct CommandLineShapeTests {
    @Test func helpShowsTheWholeCommandTree() async throws {
        let result = try await CLITestHome().run("--help")
        #expect(result.status == 0)
        for line in ["run ", "config ", "    show ", "    get ", "    set ", "    edit ", "version "] {
            #expect(result.stdout.contains("\n  " + line) || result.stdout.contains("\n" + line), "missing \(line)")
        }
    }

    @Test(arguments: [
        ["run"], ["config"], ["config", "show"], ["config", "get"], ["config", "set"], ["config", "edit"], ["version"],
    ])
    func everyCommandHasHelpWithAnExample(command: [String]) async throws {
        let result = try await NunetProcess.run(
            command + ["--help"], environment: CLITestHome().environment, directory: NSTemporaryDirectory())
        #expect(result.status == 0)
        #expect(result.stdout.contains("Example"), "\(command)")
        #expect(result.stdout.contains("nunet \(command.joined(separator: " "))"), "\(command)")
    }

    @Test func versionPrintsVersionAndCommit() async throws {
        let result = try await CLITestHome().run("version")
        #expect(result.stdout == "nunet \(BuildInfo.version) (commit \(BuildInfo.gitCommit))\n")
        #expect(!BuildInfo.gitCommit.isEmpty)
    }

    @Test func argumentErrorsExitWithUsageStatusAndAMessage() async throws {
        let home = CLITestHome()
        let unknown = try await home.run("frobnicate")
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("Unexpected argument 'frobnicate'"), "\(unknown.stderr)")
        let missing = try await home.run("config", "get")
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("Missing expected argument '<key>'"), "\(missing.stderr)")
        let badOption = try await home.run("run", "--no-such-flag")
        #expect(badOption.status == 64)
    }
}
