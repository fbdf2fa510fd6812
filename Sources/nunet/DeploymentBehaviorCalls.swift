import DMSActor
import DMSCore
import DMSMessages
import DMSNode
import Foundation

/// The deployment behaviors for `nunet actor cmd`, with the Go DMS's flags (`--id`, `--spec-file`,
/// `--allocation`, `--all`, `--before`, `--orchestrator-id`, …).
extension BehaviorCall {
    static let idFlag = Flag("id", help: "Deployment ID.")

    static let deploymentCalls: [BehaviorCall] = [
        BehaviorCall(
            Behaviors.deploymentNew,
            flags: [Flag("spec-file", short: "f", help: "The ensemble YAML file.")]
        ) { values in
            guard let file = values["spec-file"] else { throw CLIError("--spec-file is required") }
            return try Payload.encode(DeploymentNewRequest(ensemble: try EnsembleFile.load(file)))
        },
        BehaviorCall(Behaviors.deploymentStatus, flags: [idFlag]) {
            try Payload.encode(DeploymentIDRequest(id: try required("id", $0)))
        },
        BehaviorCall(Behaviors.deploymentManifest, flags: [idFlag]) {
            try Payload.encode(DeploymentIDRequest(id: try required("id", $0)))
        },
        BehaviorCall(Behaviors.deploymentShutdown, flags: [idFlag]) {
            try Payload.encode(DeploymentIDRequest(id: try required("id", $0)))
        },
        BehaviorCall(
            Behaviors.deploymentList,
            flags: [
                Flag("limit", help: "At most this many."), Flag("offset", help: "Skip this many."),
                Flag("status", help: "Only these statuses, comma-separated."),
                Flag("sort", help: "created_at, updated_at or status; - for descending."),
                Flag("filter", help: "Metadata key=value."),
            ]
        ) { values in
            var filter: [String: String]?
            if let pair = values["filter"] {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw CLIError("--filter \(pair): use key=value") }
                filter = [parts[0]: parts[1]]
            }
            return try Payload.encode(
                DeploymentListRequest(
                    limit: try values["limit"].map { try integer("limit", $0) },
                    offset: try values["offset"].map { try integer("offset", $0) },
                    status: values["status"]?.split(separator: ",").map(String.init), sort: values["sort"],
                    filter: filter))
        },
        BehaviorCall(
            Behaviors.deploymentLogs,
            flags: [idFlag, Flag("allocation", help: "Allocation name.")]
        ) { values in
            try Payload.encode(
                DeploymentLogsRequest(
                    ensembleID: try required("id", values), allocationName: try required("allocation", values)))
        },
        BehaviorCall(
            Behaviors.deploymentPrune,
            flags: [
                Flag("all", takesValue: false, help: "Every finished deployment."),
                Flag("before", help: "Created before an RFC 3339 time or a duration ago (7d, 2h, 30m)."),
            ]
        ) { values in
            try Payload.encode(DeploymentPruneRequest(all: values["all"] != nil ? true : nil, before: values["before"]))
        },
        BehaviorCall(
            Behaviors.deploymentDelete,
            flags: [Flag("orchestrator-id", help: "Deployment ID.")]
        ) { values in
            try Payload.encode(DeploymentDeleteRequest(orchestratorID: try required("orchestrator-id", values)))
        },
        BehaviorCall(Behaviors.allocationsList),
    ]

    private static func required(_ flag: String, _ values: [String: String]) throws -> String {
        guard let value = values[flag], !value.isEmpty else { throw CLIError("--\(flag) is required") }
        return value
    }

    private static func integer(_ flag: String, _ text: String) throws -> Int {
        guard let value = Int(text) else { throw CLIError("invalid --\(flag) \"\(text)\": use a whole number") }
        return value
    }
}
