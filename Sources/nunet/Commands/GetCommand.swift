import ArgumentParser
import DMSCore
import DMSMessages
import DMSNode
import Foundation

struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "List deployments or allocations, or show one deployment.",
        subcommands: [GetDeploymentsCommand.self, GetDeploymentCommand.self, GetAllocationsCommand.self])
}

/// Context and output options of the `get`, `logs` and `deployment` commands.
struct DeploymentCallOptions: ParsableArguments {
    @OptionGroup var configFile: ConfigFileOption
    @Option(name: [.customShort("c"), .customLong("context")], help: "Capability context that signs.") var context =
        "user"
    @Flag(help: "Print the node's JSON reply instead of a table.") var json = false

    var client: DeploymentClient { DeploymentClient(configFile: configFile.path, context: context) }
}

struct GetDeploymentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deployments",
        abstract: "Deployments this node orchestrates, newest first.",
        discussion: """
            Example:
              nunet get deployments --status Running,Completed --filter team=vision --limit 20
            """)

    @OptionGroup var options: DeploymentCallOptions
    @Option(help: "At most this many.") var limit: Int?
    @Option(help: "Skip this many.") var offset: Int?
    @Option(help: "Only these statuses, comma-separated.") var status: String?
    @Option(help: "created_at, updated_at or status; - for descending (default -created_at).") var sort: String?
    @Option(help: "Metadata key=value that must match (repeatable).") var filter: [String] = []

    func run() async throws {
        var metadata: [String: String] = [:]
        for pair in filter {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw CLIError("--filter \(pair): use key=value")
            }
            metadata[parts[0]] = parts[1]
        }
        let request = DeploymentListRequest(
            limit: limit, offset: offset, status: status?.split(separator: ",").map(String.init), sort: sort,
            filter: metadata.isEmpty ? nil : metadata)
        let client = options.client
        let reply = try await client.call(Behaviors.deploymentList, request)
        if options.json { return reply.printPretty() }
        let response = try reply.decoded(as: DeploymentListResponse.self)
        var table = TextTable("ID", "STATUS", "CREATED", "UPDATED", "METADATA")
        for deployment in response.deployments {
            table.add(
                deployment.orchestratorID, deployment.status, Self.date(deployment.createdAt),
                Self.date(deployment.updatedAt),
                deployment.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
        }
        print(table.rendered)
        if response.hasMore { print("… \(response.total) in all; next: --offset \(response.nextOffset)") }
    }

    static func date(_ unix: Double) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: unix.rounded(.down)))
    }
}

struct GetDeploymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deployment",
        abstract: "One deployment: status, history and allocations.",
        discussion: """
            Example:
              nunet get deployment 2f0c…
            """)

    @OptionGroup var options: DeploymentCallOptions
    @Argument(help: "Deployment ID.") var id: String

    func run() async throws {
        let client = options.client
        let reply = try await client.call(Behaviors.deploymentStatus, DeploymentIDRequest(id: id))
        if options.json { return reply.printPretty() }
        let status = try reply.decoded(as: DeploymentStatusResponse.self)
        print("deployment \(status.id): \(status.status)\(status.reason.isEmpty ? "" : " — \(status.reason)")")
        print()
        for event in status.events {
            print(
                "\(GetDeploymentsCommand.date(event.at))  \(event.status.padding(toLength: 13, withPad: " ", startingAt: 0))\(event.reason)"
            )
        }
        if let nodes = status.nodes, !nodes.isEmpty {
            print()
            var table = TextTable("NODE", "PROVIDER", "PRICE", "ESTIMATE")
            for (name, node) in nodes.sorted(by: { $0.key < $1.key }) {
                let estimate = node.estimate
                table.add(
                    name, node.peer, estimate.map { $0.isFree ? "free" : $0.price.description } ?? "-",
                    estimate.map { $0.isFree ? "-" : $0.isOpenEnded ? "run time unknown" : Self.amount($0) } ?? "-")
            }
            print(table.rendered)
        }
        guard !status.allocations.isEmpty else { return }
        print()
        var table = TextTable("ALLOCATION", "NODE", "TYPE", "STATUS", "EXIT", "RESTARTS", "PORTS", "USED", "ERROR")
        for (name, allocation) in status.allocations.sorted(by: { $0.key < $1.key }) {
            let ports = (allocation.ports ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)->\($0.value)" }
            table.add(
                name, allocation.nodeID, allocation.type, allocation.status, allocation.exitCode.map(String.init) ?? "",
                "\(allocation.restarts)", ports.isEmpty ? "-" : ports.joined(separator: ","),
                allocation.usage?.description ?? "-", allocation.error ?? "")
        }
        print(table.rendered)
    }

    /// `1.5 NTX`.
    static func amount(_ estimate: CostEstimate) -> String {
        "\(ComputeCapability.Price.amount(estimate.cost)) \(estimate.price.currency)"
    }
}

struct GetAllocationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocations",
        abstract: "Allocations this node hosts as a provider.",
        discussion: """
            Example:
              nunet get allocations
            """)

    @OptionGroup var options: DeploymentCallOptions

    func run() async throws {
        let client = options.client
        let reply = try await client.call(Behaviors.allocationsList, NoPayload())
        if options.json { return reply.printPretty() }
        let response = try reply.decoded(as: AllocationsListResponse.self)
        var table = TextTable("ID", "EXECUTOR", "STATUS", "RESOURCES", "ORCHESTRATOR")
        for allocation in response.allocations {
            table.add(
                allocation.id, allocation.executor, allocation.status, allocation.resources.description,
                allocation.orchestrator)
        }
        print(table.rendered)
    }
}
