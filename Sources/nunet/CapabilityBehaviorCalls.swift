import DMSActor
import DMSCapabilities
import DMSCore
import DMSMessages

/// The capability administration behaviors for `nunet actor cmd`, with the flags of `nunet cap anchor`
/// (`--root`, `--require`, `--provide`, `--revoke`) and `--token` for the single-kind anchors; token
/// arguments may be `-` for standard input. With `--dest` they administer another node.
extension BehaviorCall {
    static let tokenFlag = Flag("token", help: "Token list (JSON), or - for standard input.")

    static let capabilityCalls: [BehaviorCall] = [
        BehaviorCall(Behaviors.capList, flags: [Flag("name", help: "Context name (default: the node's).")]) {
            try Payload.encode(CapListRequest(context: $0["name"]))
        },
        BehaviorCall(
            Behaviors.capAnchor,
            flags: [
                Flag("root", help: "A DID to trust fully."),
                Flag("require", help: "Token list admitting chains anchored in its subject."),
                Flag("provide", help: "Token list delegating capabilities to the node."),
                Flag("revoke", help: "Revocation token list."),
            ]
        ) { values in
            CapabilityPayload.anchors(
                try AnchorOptions.anchors(
                    root: values["root"], require: values["require"], provide: values["provide"],
                    revoke: values["revoke"]))
        },
        BehaviorCall(Behaviors.capProvideAnchor, flags: [tokenFlag], payload: tokenPayload),
        BehaviorCall(Behaviors.capRequireAnchor, flags: [tokenFlag], payload: tokenPayload),
        BehaviorCall(Behaviors.capRevokeAnchor, flags: [tokenFlag], payload: tokenPayload),
        BehaviorCall(Behaviors.capRevokeBroadcast),
    ]

    private static func tokenPayload(_ values: [String: String]) throws -> [UInt8]? {
        guard let text = values["token"] else { throw CLIError("--token is required") }
        return CapabilityPayload.tokens(try TokenArgument.list(text))
    }
}
