import DMSActor
import DMSConfig
import DMSCore
import DMSMessages
import Foundation
import Logging

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
        actor.addBehavior(Behaviors.loggerConfig) { message in
            try Payload.encode(try configureLogger(node, message.decode(LoggerConfigRequest.self)))
        }
    }

    /// Applies a `/dms/node/logger/config` request: the level changes at once for every logger of the daemon.
    static func configureLogger(_ node: Node, _ request: LoggerConfigRequest) throws(ActorError) -> LoggerConfigResponse
    {
        guard let control = node.logLevels else {
            throw .invalidRequest("this node has no runtime log level (it is not running as a daemon)")
        }
        let unsupported = request.unsupportedFields
        guard unsupported.isEmpty else {
            throw .invalidRequest(
                "\(unsupported.joined(separator: ", ")): not supported; this node has no Elasticsearch or APM "
                    + "exporter (traces go over OTLP: set observability.otlp_endpoint); only level can be changed")
        }
        guard !request.level.isEmpty else {
            throw .invalidRequest("level is required: one of \(ConfigSchema.logLevels.joined(separator: ", "))")
        }
        guard let level = Logger.Level(rawValue: request.level.lowercased()) else {
            throw .invalidRequest(
                "level \"\(request.level)\" is not a log level: use one of \(ConfigSchema.logLevels.joined(separator: ", "))"
            )
        }
        let previous = control.set(level)
        node.logger.notice("log level changed", metadata: ["level": "\(level)", "previous": "\(previous)"])
        return LoggerConfigResponse(level: level.rawValue, previous: previous.rawValue)
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
