import CoreMetrics
import DMSActor
import DMSCapabilities
import DMSCore
import DMSCrypto
import DMSExecutor
import DMSExecutorWasm
import DMSMessages
import DMSNetwork
import DMSNode
import DMSOrchestrator
import DMSProvider
import DMSResources
import DMSStore
import Foundation
import Instrumentation
import Logging
import OTel
import Tracing

/// Issue 17: what instrumentation costs the invoke round trip (the actors benchmark's pair, with and without the
/// node's metrics, then with an OTel tracer as well, alternated in one run), and what a `/metrics` scrape costs
/// with 1,000 deployments in the history.
enum ObservabilityBenchmarks {
    static func run() async throws {
        try await invokeOverhead()
        print()
        try await scrape()
    }

    static func invokeOverhead() async throws {
        let plain = try await ActorPair(metrics: nil)
        let metered = try await ActorPair(metrics: NodeMetrics().actor)
        var results: [String: [(latency: Double, rate: Double)]] = [:]
        // Alternated, so drift in the machine's load falls on both alike.
        for _ in 0..<5 {
            results["plain", default: []].append(try await plain.round())
            results["metrics", default: []].append(try await metered.round())
        }
        // A real tracer from here on (process-wide, so it comes last): spans are made, sampled, batched and handed
        // to an exporter that drops them (the OTLP encoding and HTTP post are not in this figure).
        var configuration = OTel.Configuration.default
        configuration.traces.exporter = .none
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        // As the daemon batches (NodeTracing); its "queue full, spans dropped" notes are not part of the cost.
        configuration.traces.batchSpanProcessor.scheduleDelay = .seconds(1)
        configuration.diagnosticLogLevel = .error
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        let exporter = Task { try await backend.service.run() }
        for _ in 0..<5 {
            results["plain, tracer", default: []].append(try await plain.round())
            results["metrics + tracer", default: []].append(try await metered.round())
            results["metrics + tracer, every call traced", default: []].append(try await metered.round(traced: true))
        }
        exporter.cancel()

        let base = results["plain"]!
        let baseLatency = median(base.map(\.latency))
        let baseRate = median(base.map(\.rate))
        print(
            "| Invoke round trip with and without instrumentation (5 alternated rounds each) | one at a time, p50 | 32 in flight | Goal |"
        )
        print("|---|---|---|---|")
        for name in ["plain", "metrics", "plain, tracer", "metrics + tracer", "metrics + tracer, every call traced"] {
            let rounds = results[name]!
            let latency = rounds.map(\.latency)
            let rate = rounds.map(\.rate)
            let goal = name == "plain" || name.hasSuffix("traced") ? "" : "within 5% of plain"
            print(
                "| \(name) | \(String(format: "%.0f µs (%.0f–%.0f) %+.1f%%", median(latency), latency.min()!, latency.max()!, (median(latency) / baseLatency - 1) * 100)) | \(String(format: "%.0f /s (%.0f–%.0f) %+.1f%%", median(rate), rate.min()!, rate.max()!, (median(rate) / baseRate - 1) * 100)) | \(goal) |"
            )
        }
        for pair in [plain, metered] {
            await pair.caller.stop()
            await pair.callee.stop()
        }
    }

    /// A node as the daemon wires it (store, resources, provider, orchestrator registry) with 1,000 deployments in
    /// its history and every catalogue behavior's counters and latency histograms filled; the figure is the time
    /// to produce the whole exposition.
    static func scrape() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nunet-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try Store.open(inDirectory: directory.path)
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let identity = try NodeIdentity.load(dataDirectory: directory.path, contextName: "dms", kdfCost: 10) { _, _ in
            "bench"
        }
        let resources = try NodeResources(
            store: store, hardware: HardwareMonitor(dataDirectory: directory.path), logger: logger)
        try await resources.manager.onboard(Resources(cpu: CPUResources(cores: 2), ram: 4 << 30, disk: 10 << 30))
        let history = DeploymentRepository(store: store)
        let statuses = ["Completed", "Failed", "ShutDown"]
        let now = Date().timeIntervalSince1970
        for index in 0..<1000 {
            try history.save(
                StoredDeployment(
                    id: UUID().uuidString, status: statuses[index % statuses.count], createdAt: now - Double(index),
                    updatedAt: now, completedAt: now, metadata: ["team": "bench"], record: "{}"))
        }
        let node = Node(
            identity: identity, network: InMemoryNetworkHub().host(identity.peerID.description), resources: resources,
            deployments: DeploymentSetup(
                store: store, executors: [.wasm: WasmExecutor(), .null: NoopExecutor()],
                provider: ProviderSettings(workDirectory: directory.appendingPathComponent("allocations")),
                orchestrator: OrchestratorSettings(logDirectory: directory.appendingPathComponent("deployments"))),
            logger: logger)
        let factory = node.metrics.actor.factory
        for behavior in Behaviors.catalogueNames.sorted() + ["/dms/actor/replyto", "/dms/deployment/bid", "other"] {
            for outcome in ["handled", "failed", "refused"] {
                Counter(
                    label: ActorMetrics.messages, dimensions: [("behavior", behavior), ("outcome", outcome)],
                    factory: factory
                )
                .increment(by: 10)
            }
            Timer(label: ActorMetrics.handlerDuration, dimensions: [("behavior", behavior)], factory: factory)
                .recordMicroseconds(250)
        }
        let bytes = await node.metrics.exposition(of: node).count
        var samples: [Double] = []
        for _ in 0..<300 {
            let begin = ContinuousClock.now
            _ = await node.metrics.exposition(of: node)
            samples.append(Measure.seconds(ContinuousClock.now - begin))
        }
        samples.sort()
        print("| /metrics scrape (1,000 deployments in the history, \(bytes) bytes) | Measured | Goal |")
        print("|---|---|---|")
        Measure.row(
            "exposition, 300 scrapes: p50 (min–p99)",
            "\(Measure.milliseconds(samples[150])) (\(Measure.milliseconds(samples[0]))–\(Measure.milliseconds(samples[297])))",
            "< 5 ms")
        try store.close()
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}

extension ActorPair {
    func call(traced: Bool) async throws {
        guard traced else { return try await invoke() }
        try await withSpan("bench") { _ in try await invoke() }
    }

    /// Median round-trip latency (µs) one at a time, and round trips per second with 32 in flight; `traced`: each
    /// call made inside a span of its own, as a command a person gave, so the callee's handler joins its trace.
    func round(traced: Bool = false) async throws -> (latency: Double, rate: Double) {
        var sequential: [Double] = []
        for _ in 0..<1000 {
            let begin = ContinuousClock.now
            try await call(traced: traced)
            sequential.append(Measure.seconds(ContinuousClock.now - begin) * 1e6)
        }
        sequential.sort()
        let duration: Duration = .seconds(3)
        let count = Samples()
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    var done = 0
                    while ContinuousClock.now - started < duration {
                        try await call(traced: traced)
                        done += 1
                    }
                    count.append([Double(done)])
                }
            }
            try await group.waitForAll()
        }
        let total = count.sorted.reduce(0, +)
        return (sequential[sequential.count / 2], total / Measure.seconds(ContinuousClock.now - started))
    }
}
