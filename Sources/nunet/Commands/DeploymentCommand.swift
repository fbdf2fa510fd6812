import ArgumentParser
import DMSMessages
import DMSNode
import Foundation

struct DeploymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deployment",
        abstract: "Shut down, prune or delete deployments.",
        subcommands: [ShutdownDeploymentCommand.self, PruneDeploymentsCommand.self, DeleteDeploymentCommand.self])
}

struct ShutdownDeploymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shutdown",
        abstract: "Stop a live deployment's allocations; it ends Completed.",
        discussion: """
            Example:
              nunet deployment shutdown 2f0c…
            """)

    @OptionGroup var options: DeploymentCallOptions
    @Argument(help: "Deployment ID.") var id: String

    func run() async throws {
        let client = options.client
        let reply = try await client.call(Behaviors.deploymentShutdown, DeploymentIDRequest(id: id))
        if options.json { return reply.printPretty() }
        print("deployment \(id) shut down")
    }
}

struct PruneDeploymentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove finished deployments (Completed or Failed) from the history.",
        discussion: """
            Example:
              nunet deployment prune --before 7d
              nunet deployment prune --all
            """)

    @OptionGroup var options: DeploymentCallOptions
    @Flag(help: "Every finished deployment.") var all = false
    @Option(help: "Those created before an RFC 3339 time or a duration ago (7d, 2h, 30m).") var before: String?

    func validate() throws {
        if all == (before != nil) { throw ValidationError("give exactly one of --all and --before") }
    }

    func run() async throws {
        let client = options.client
        let reply = try await client.call(
            Behaviors.deploymentPrune, DeploymentPruneRequest(all: all ? true : nil, before: before))
        if options.json { return reply.printPretty() }
        let response = try reply.decoded(as: DeploymentPruneResponse.self)
        print("pruned \(response.pruned.count) deployment(s)")
        for id in response.pruned { print("  \(id)") }
    }
}

struct DeleteDeploymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Remove one finished deployment from the history.",
        discussion: """
            Example:
              nunet deployment delete 2f0c…
            """)

    @OptionGroup var options: DeploymentCallOptions
    @Argument(help: "Deployment ID.") var id: String

    func run() async throws {
        let reply = try await options.client.call(
            Behaviors.deploymentDelete, DeploymentDeleteRequest(orchestratorID: id))
        if options.json { return reply.printPretty() }
        print("deployment \(id) deleted")
    }
}
