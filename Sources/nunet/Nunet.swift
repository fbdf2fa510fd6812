import ArgumentParser

/// The `nunet` binary: the daemon (`nunet run`) and every client command in one executable.
@main
struct Nunet: AsyncParsableCommand {
    static let commands: [any ParsableCommand.Type] = [
        RunCommand.self, OnboardCommand.self, OffboardCommand.self, ResourcesCommand.self, HardwareCommand.self,
        GPUCommand.self, ValidateCommand.self, DeployCommand.self, GetCommand.self, LogsCommand.self,
        DeploymentCommand.self, PeersCommand.self, ActorCommand.self, KeyCommand.self, CapCommand.self,
        LogLevelCommand.self, ConfigCommand.self, RestCommand.self,
        VersionCommand.self,
    ]

    static let configuration = CommandConfiguration(
        commandName: "nunet",
        abstract: "NuNet Device Management Service: join a decentralised compute network, share or use compute.",
        discussion: """
            Start a node with `nunet run`; every other command is a client of it or of the files in the \
            node's data directory (default ~/.nunet, override with NUNET_HOME).

            COMMAND TREE
            \(CommandTree.render(commands))
            Example:
              nunet run --rest-port 9999
            """,
        version: VersionCommand.versionLine,
        subcommands: commands
    )
}
