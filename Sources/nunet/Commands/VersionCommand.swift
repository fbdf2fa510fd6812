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
            """)

    func run() {
        print(Self.versionLine)
    }
}
