import DMSActor
import DMSCore
import DMSMessages
import Foundation

/// The node actor's behaviors. Each requires the capability of its own name (`/public/...` and
/// `/broadcast/...` are meant to be granted broadly; `/dms/node/...` to the node's controller).
enum NodeBehaviors {
    static func register(on node: Node) {
        let actor = node.actor
        actor.addBehavior(Behaviors.hello) { _ in try Payload.encode(node.hello) }
        actor.addBehavior(Behaviors.broadcastHello, options: BehaviorOptions(topic: Topics.hello)) { _ in
            try Payload.encode(node.hello)
        }
        actor.addBehavior(Behaviors.status) { _ in
            try Payload.encode(
                StatusResponse(
                    status: "running", did: node.identity.did.uri, peerID: node.identity.peerID.description,
                    version: BuildInfo.version, uptimeSeconds: Int(Date().timeIntervalSince(node.started))))
        }
        actor.addBehavior(Behaviors.peersSelf) { _ in
            try Payload.encode(
                PeerSelfResponse(
                    id: node.identity.peerID.description, listenAddresses: node.listenAddresses.joined(separator: ",")))
        }
        actor.addBehavior(Behaviors.stats) { _ in JSONWriter().bytes(statistics(node)) }
    }

    /// Statistics of every actor of the node, by inbox.
    static func statistics(_ node: Node) -> JSONValue {
        .object([
            (
                "actors",
                .array(
                    node.actor.registry.all.map { entry in
                        var members: [(key: String, value: JSONValue)] = [
                            ("inbox", .string(entry.handle.address.inbox)),
                            ("handle", .string(entry.handle.description)),
                        ]
                        if let parent = entry.parent { members.append(("parent", .string(parent))) }
                        members.append(("statistics", entry.actor.statistics.snapshot.json))
                        return .object(members)
                    })
            ),
            ("tokens_verified", .integer(node.identity.capabilities.verifierStatistics.signatureChecks)),
            ("token_cache_hits", .integer(node.identity.capabilities.verifierStatistics.cacheHits)),
        ])
    }
}
