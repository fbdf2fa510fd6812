import DMSActor
import DMSCapabilities
import DMSCore
import DMSCrypto
import DMSMessages
import DMSNetwork
import DMSNode
import Foundation
import Logging
import NunetTestSupport
import Testing

/// What an operator reads off a node: its metrics exposition after real traffic, and the log level changed at
/// run time by `/dms/node/logger/config`.
@Suite struct NodeObservabilityTests {
    let levels = LogLevelControl(.info)
    let fixture: NodeAndUser
    var node: Node { fixture.node }

    init() async throws {
        fixture = try await NodeAndUser(logLevels: levels, controlled: true)
    }

    func call(_ behavior: String, _ payload: [UInt8]? = []) async throws(ActorError) -> JSONValue {
        try await fixture.call(behavior, payload)
    }

    /// Every sample line of the exposition, `name{labels} value`, by its text before the value.
    func samples() async -> [String: String] {
        let text = String(decoding: await node.metrics.exposition(of: node), as: UTF8.self)
        var samples: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            samples[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        return samples
    }

    @Test func trafficShowsUpByBehaviorOutcomeAndReasonWithBoundedLabels() async throws {
        for _ in 0..<3 { _ = try await call("/public/hello") }
        // A made-up behavior name is refused and counted under `other`, never under its own name.
        let made = "/dms/made/up/\(UUID().uuidString)"
        #expect(await #expect(throws: ActorError.self) { try await call(made) }?.code == "unknown_behavior")
        let samples = await samples()
        #expect(samples[#"nunet_actor_messages_total{behavior="/public/hello",outcome="handled"}"#] == "3")
        #expect(samples[#"nunet_actor_messages_total{behavior="other",outcome="refused"}"#] == "1")
        #expect(samples[#"nunet_actor_refusals_total{reason="unknown_behavior"}"#] == "1")
        #expect(samples[#"nunet_actor_handler_duration_seconds_count{behavior="/public/hello"}"#] == "3")
        #expect(samples.keys.contains { $0.contains(made) } == false)
        #expect(samples["nunet_actors"] == "1")
        #expect(samples.keys.contains { $0.hasPrefix("nunet_token_signature_checks_total") })
        #expect(Double(samples["process_resident_memory_bytes"] ?? "") ?? 0 > 0)
        #expect(Double(samples["process_open_fds"] ?? "") ?? 0 > 0)
        // The user's replies are counted at the user, under the continuation prefix, not each nonce.
        let exposition = String(decoding: await node.metrics.exposition(of: node), as: UTF8.self)
        #expect(exposition.contains("# TYPE nunet_actor_messages_total counter"))
        #expect(exposition.contains("# TYPE nunet_actor_handler_duration_seconds histogram"))
    }

    @Test func theLogLevelChangesWithoutARestartAndBadLevelsAreRefusedByName() async throws {
        let reply = try await call(
            Behaviors.loggerConfig.name, try Payload.encode(LoggerConfigRequest(level: "DEBUG")))
        #expect(reply["level"] == .string("debug"))
        #expect(reply["previous"] == .string("info"))
        #expect(levels.level == .debug)

        let bad = await #expect(throws: ActorError.self) {
            try await call(Behaviors.loggerConfig.name, try Payload.encode(LoggerConfigRequest(level: "loud")))
        }
        #expect("\(bad.map { "\($0)" } ?? "")".contains(#"level "loud" is not a log level"#))
        let elastic = await #expect(throws: ActorError.self) {
            try await call(
                Behaviors.loggerConfig.name,
                try Payload.encode(LoggerConfigRequest(level: "info", url: "http://elastic:9200")))
        }
        #expect("\(elastic.map { "\($0)" } ?? "")".contains("url: not supported"))
        #expect(levels.level == .debug)
    }
}
