import ArgumentParser
import DMSActor
import DMSCore
import DMSMessages
import DMSNode
import Foundation

struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Deploy an ensemble through the local node.",
        discussion: """
            Validates the file first (nothing is sent if it is invalid), then asks the node to deploy it and \
            prints the deployment ID. With --wait, follows the deployment through its states until it is \
            Running (services) or Completed (task-only ensembles), or Failed with the reason; the exit \
            status is 1 if it failed. On a terminal the view is live (state per node and allocation, image \
            pulls, elapsed time); otherwise each change is one line. --json with --wait prints the final \
            status as JSON instead. When providers charge, the Committing line states each node's price and \
            the estimated cost; --max-cost refuses a placement whose estimate is above it.

            Example:
              nunet deploy -f examples/hello-wasm.yaml --wait
            """)

    @OptionGroup var configFile: ConfigFileOption
    @Option(name: [.customShort("c"), .customLong("context")], help: "Capability context that signs.") var context =
        "user"
    @Option(name: [.customShort("f"), .customLong("file")], help: "The ensemble YAML file.") var file: String
    @Option(name: [.customShort("t"), .customLong("timeout")], help: "Time to reach Running, e.g. 5m (default 5m).")
    var timeout: String?
    @Flag(help: "Follow the deployment until it is Running, Completed or Failed.") var wait = false
    @Flag(help: "Wait for providers instead of failing when the ensemble cannot be placed now.") var queue = false
    @Option(help: "Refuse placements whose estimated cost is above this, e.g. 3 or 3NTX.") var maxCost: String?
    @Flag(help: "Print the node's JSON reply (with --wait: the final status).") var json = false

    func run() async throws {
        let ensemble = try EnsembleFile.load(file)
        let seconds = try timeout.map { Double(try TimeSpec.duration($0)) / 1e9 } ?? 300
        let limit = try maxCost.map { try CostLimit(parsing: $0) }
        let client = DeploymentClient(configFile: configFile.path, context: context)
        let reply = try await client.call(
            Behaviors.deploymentNew,
            DeploymentNewRequest(ensemble: ensemble, timeout: seconds, queue: queue ? true : nil, maxCost: limit))
        if json && !wait { return reply.printPretty() }
        let response = try reply.decoded(as: DeploymentNewResponse.self)
        if !json { print("deployment \(response.ensembleID)") }
        guard wait else { return }
        let mode: DeploymentClient.FollowMode = json ? .quiet : isatty(STDOUT_FILENO) == 1 ? .live : .lines
        let final = try await client.follow(response.ensembleID, until: seconds + 30, mode: mode)
        if json {
            try await client.call(Behaviors.deploymentStatus, DeploymentIDRequest(id: response.ensembleID))
                .printPretty()
        }
        if final.status == "Failed" { throw CLIError("deployment \(response.ensembleID) failed: \(final.reason)") }
    }
}

/// Calls the node's deployment behaviors for the deployment commands.
struct DeploymentClient {
    let configFile: String?
    let context: String

    func call<Request: Encodable, Reply>(_ behavior: BehaviorSpec<Request, Reply>, _ request: Request)
        async throws -> JSONValue
    {
        try await ActorClient(configFile: configFile).call(
            behavior.name, payload: try Payload.encode(request), context: context, destination: nil,
            timing: try MessageTiming.parse([]))
    }

    func status(_ id: String) async throws -> DeploymentStatusResponse {
        try await call(Behaviors.deploymentStatus, DeploymentIDRequest(id: id)).decoded(
            as: DeploymentStatusResponse.self)
    }

    /// How `follow` shows the deployment: a live view redrawn in place (a terminal), one line per change (a pipe
    /// or file), or nothing (`--json`, which prints the end state).
    enum FollowMode { case live, lines, quiet }

    /// Shows each status change with its reason, and what slow starts are doing (image pulls), until the
    /// deployment is Running (with services), Completed or Failed.
    func follow(_ id: String, until limit: Double, mode: FollowMode) async throws -> DeploymentStatusResponse {
        var shown = 0
        var progressShown: [String: String] = [:]
        var block = LiveBlock()
        let started = Date()
        let deadline = Date().addingTimeInterval(limit)
        while true {
            let status = try await self.status(id)
            if mode == .live {
                let text = block.redraw(
                    DeploymentProgressView.lines(status, elapsed: Date().timeIntervalSince(started)))
                FileHandle.standardOutput.write(Data(text.utf8))
            }
            for event in status.events.dropFirst(shown) where mode == .lines {
                print(
                    "\(Self.time(event.at))  \(event.status.padding(toLength: 13, withPad: " ", startingAt: 0))\(event.reason)"
                )
            }
            shown = status.events.count
            for (name, allocation) in status.allocations.sorted(by: { $0.key < $1.key }) where mode == .lines {
                guard let progress = allocation.progress, progressShown[name] != progress else { continue }
                progressShown[name] = progress
                print(
                    "\(Self.time(Date().timeIntervalSince1970))  \("Starting".padding(toLength: 13, withPad: " ", startingAt: 0))\(name): \(progress)"
                )
            }
            let taskOnly = !status.allocations.isEmpty && status.allocations.values.allSatisfy { $0.type == "task" }
            if ["Completed", "Failed"].contains(status.status) || (status.status == "Running" && !taskOnly) {
                return status
            }
            guard Date() < deadline else { throw CLIError("deployment \(id) is still \(status.status)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    static func time(_ unix: Double) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss.SSS"
        return formatter.string(from: Date(timeIntervalSince1970: unix))
    }
}
