import ArgumentParser
import DMSMessages
import DMSNode
import Foundation

struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print an allocation's output (stdout, then stderr).",
        discussion: """
            Output comes from the provider while the deployment runs and from the orchestrator's copy \
            (under the data directory's deployments/) once it has ended. --follow keeps printing new output \
            until the allocation stops.

            Example:
              nunet logs 2f0c… hello --follow
            """)

    @OptionGroup var options: DeploymentCallOptions
    @Argument(help: "Deployment ID.") var id: String
    @Argument(help: "Allocation name.") var allocation: String
    @Flag(name: [.customShort("f"), .customLong("follow")], help: "Keep printing new output.") var follow = false

    func run() async throws {
        let client = options.client
        var request = DeploymentLogsRequest(ensembleID: id, allocationName: allocation)
        while true {
            let reply = try await client.call(Behaviors.deploymentLogs, request)
            if options.json && !follow { return reply.printPretty() }
            let logs = try reply.decoded(as: DeploymentLogsResponse.self)
            if !logs.stdout.isEmpty { FileHandle.standardOutput.write(Data(logs.stdout.utf8)) }
            if !logs.stderr.isEmpty { FileHandle.standardError.write(Data(logs.stderr.utf8)) }
            request.stdoutOffset = logs.stdoutOffset
            request.stderrOffset = logs.stderrOffset
            let drained = logs.stdout.isEmpty && logs.stderr.isEmpty
            if !follow || (!logs.running && drained) { return }
            if drained { try await Task.sleep(for: .milliseconds(300)) }
        }
    }
}
