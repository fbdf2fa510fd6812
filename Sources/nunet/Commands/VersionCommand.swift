import ArgumentParser
import DMSCore

struct VersionCommand: ParsableCommand {
    static let versionLine = "nunet \(BuildInfo.version) (commit \(BuildInfo.gitCommit))"

    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version and git commit of this binary.",
        discussion: """
            Example:
              nunet version
              nunet version --json
            """)

    @Flag(help: "Print {\"version\": ..., \"commit\": ...}.") var json = false

    func run() {
        guard json else { return print(Self.versionLine) }
        print(
            JSONWriter(pretty: true, escapeHTML: false).string(
                .object([("version", .string(BuildInfo.version)), ("commit", .string(BuildInfo.gitCommit))])))
    }
}
