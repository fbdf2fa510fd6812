import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// Seeing a running node as an operator and a developer do: `/metrics` after a deployment, the log level changed
/// without a restart, `--json` for scripts, and a deployment followed as one trace across two daemons in a
/// collector the test runs.
@Suite struct ObservabilityCLITests {
    @Test func anOperatorReadsMetricsChangesTheLogLevelAndScriptsReadJSON() async throws {
        let home = CLITestHome()
        let (daemon, client) = try await home.startControlledDaemon()
        _ = try #require(try await client.onboardQuarter())
        let port = try #require(Int(client.extraEnvironment["DMS_REST_PORT"] ?? ""))

        // --wait --json: nothing but the final status, as JSON (stdout is a pipe here, so no live view).
        home.root.write("work/task.yaml", CLIDeploymentFlowTests.task)
        let deployed = try await client.run("deploy", "-f", "task.yaml", "--wait", "--json")
        #expect(deployed.status == 0, "\(deployed.stderr)")
        let status = try JSONParser.parse(deployed.stdout)
        #expect(status["Status"] == .string("Completed"), "\(deployed.stdout)")
        #expect(status["Allocations"]?["job"]?["status"] != nil, "\(deployed.stdout)")

        let metrics = try #require(LoopbackNetwork.get(port: port, path: "/metrics"))
        #expect(metrics.status == 200)
        for sample in [
            #"nunet_deployments{status="Completed"} 1"#,
            #"nunet_actor_messages_total{behavior="/dms/node/deployment/new",outcome="handled"} 1"#,
            #"nunet_resources_cpu_cores{state="onboarded"} 1"#, #"nunet_resources_cpu_cores{state="free"} 1"#,
            "nunet_libp2p_connections ", "nunet_dht_routing_table_peers ", "process_resident_memory_bytes ",
            #"nunet_actor_handler_duration_seconds_bucket{behavior="/dms/deployment/allocate""#,
            // The bid request went out on the deployment topic.
            #"nunet_gossip_messages_total{event="published"} "#,
        ] {
            #expect(metrics.body.contains(sample), "\(sample) in \(metrics.body)")
        }
        // No deployment or allocation ID ever becomes a label.
        let id = try #require(status["ID"].flatMap { if case .string(let id) = $0 { id } else { nil } })
        #expect(!metrics.body.contains(id))

        // The level changes at once: a refusal, logged at debug, is in the log file only after the change.
        let logFile = home.nunetHome + "/logs/nunet.jsonl"
        func debugRefusals() -> Int {
            ((try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "").split(separator: "\n").filter {
                $0.contains(#""level":"debug""#) && $0.contains("message rejected")
            }.count
        }
        let refused = try await client.run("actor", "cmd", "/dms/node/logger/config", "--level", "loud")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains(#"level "loud" is not a log level"#), "\(refused.stderr)")
        #expect(debugRefusals() == 0)
        let changed = try await client.run("log-level", "debug")
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stdout == "log level debug (was info)\n")
        let elastic = try await client.run("actor", "cmd", "/dms/node/logger/config", "--url", "http://es:9200")
        #expect(elastic.stderr.contains("url: not supported"), "\(elastic.stderr)")
        #expect(
            await NunetProcess.eventually(timeout: 5) { debugRefusals() == 1 },
            "\((try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "")")
        let bad = try await client.run("log-level", "loud")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains(#"level "loud" is not a log level"#), "\(bad.stderr)")
        let json = try JSONParser.parse(try await client.run("log-level", "info", "--json").stdout)
        #expect(json["level"] == .string("info"))
        #expect(json["previous"] == .string("debug"))

        let version = try JSONParser.parse(try await client.run("version", "--json").stdout)
        #expect(version["version"] == .string(BuildInfo.version))
        let deleted = try await client.run("deployment", "delete", id, "--json")
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(try JSONParser.parse(deleted.stdout)["OK"] == .bool(true), "\(deleted.stdout)")

        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test func aDeploymentIsOneTraceFromTheRequestToTheStartOnTheProvider() async throws {
        let collector = try OTLPReceiver()
        defer { collector.stop() }
        let tracing = ["DMS_OBSERVABILITY_OTLP_ENDPOINT": "http://127.0.0.1:\(collector.port)"]
        var first = CLITestHome()
        first.extraEnvironment.merge(tracing) { _, new in new }
        let (daemonA, clientA) = try await first.startControlledDaemon()
        let user = try await clientA.run("key", "did", "user").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (didA, peerA, listenA) = try await clientA.nodeIdentity()
        let (daemonB, _, _, peerB) = try await clientA.startProvider(
            bootstrap: "\(listenA)/p2p/\(peerA)", roots: [user, didA], environment: tracing)
        _ = try await clientA.untilReachable(peerB)

        first.root.write("work/remote.yaml", CLITestHome.nullTask(node: "remote", "peer: \(peerB)", stdout: "traced"))
        let deployed = try await clientA.run("deploy", "-f", "remote.yaml", "--wait")
        #expect(deployed.status == 0, "\(deployed.stderr)")

        // The provider's allocation start is in the trace of the orchestrator's deployment span.
        var trace: [OTLPReceiver.Span] = []
        let exported = await NunetProcess.eventually(timeout: 30) {
            let spans = collector.spans
            guard let deployment = spans.first(where: { $0.name == "deployment" && $0.instance == peerA }) else {
                return false
            }
            trace = spans.filter { $0.traceID == deployment.traceID }
            // Each node exports on its own schedule: wait until every parent has arrived too.
            let ids = Set(trace.map(\.spanID))
            return trace.contains { $0.name == "/dms/allocation/start" && $0.instance == peerB }
                && trace.filter { !ids.contains($0.parentSpanID) }.count == 1
        }
        #expect(exported, "spans: \(collector.spans.map { "\($0.instance.suffix(6)) \($0.name)" })")
        let namesOnA = Set(trace.filter { $0.instance == peerA }.map(\.name))
        let namesOnB = Set(trace.filter { $0.instance == peerB }.map(\.name))
        for name in [
            "/dms/node/deployment/new", "deployment", "deployment.bids", "deployment.matching", "deployment.commit",
            "deployment.allocate", "deployment.start",
        ] {
            #expect(namesOnA.contains(name), "\(name) on the orchestrator: \(namesOnA)")
        }
        for name in [
            "/dms/deployment/request", "/dms/deployment/commit", "/dms/deployment/allocate", "/dms/allocation/start",
        ] {
            #expect(namesOnB.contains(name), "\(name) on the provider: \(namesOnB)")
        }
        // One tree: every span but the request's has its parent in the trace.
        let ids = Set(trace.map(\.spanID))
        let roots = trace.filter { !ids.contains($0.parentSpanID) }
        #expect(roots.map(\.name) == ["/dms/node/deployment/new"], "roots: \(roots.map(\.name))")
        // Reply continuations make no spans of their own (the replying handler's span covers the exchange), and
        // only a person's commands start traces: protocol traffic outside a trace costs no spans.
        #expect(!trace.contains { $0.name.hasPrefix("/dms/actor/replyto") }, "\(trace.map(\.name))")
        let everyRoot = collector.spans.filter { $0.parentSpanID.allSatisfy { $0 == "0" } }
        #expect(
            everyRoot.allSatisfy { $0.name.hasPrefix("/dms/node/") || $0.name.hasPrefix("/dms/cap/") },
            "\(everyRoot.map(\.name))")
        #expect(Set(collector.paths) == ["/v1/traces"])

        daemonB.signal(SIGTERM)
        #expect(await daemonB.wait() == 0)
        daemonA.signal(SIGTERM)
        #expect(await daemonA.wait() == 0)
    }
}
