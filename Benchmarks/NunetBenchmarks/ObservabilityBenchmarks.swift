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

    /// Round trips per setup one at a time, interleaved call by call, and rounds of 32 in flight per setup,
    /// alternated. The machine swings between a fast and a slow state for seconds at a time (one setup's 1,000-call
    /// medians ran 265 or 420 µs by turns, every setup alike), which only a call-by-call interleave spreads evenly.
    static let calls = 5000
    static let rounds = 15

    static func invokeOverhead() async throws {
        let plain = try await ActorPair(metrics: nil)
        let metered = try await ActorPair(metrics: NodeMetrics().actor)
        // A real tracer, switched on for the setups that name it: spans are made, sampled, batched and handed to an
        // exporter that drops them (the OTLP encoding and HTTP post are not in this figure).
        var configuration = OTel.Configuration.default
        configuration.traces.exporter = .none
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        // As the daemon batches (NodeTracing); its "queue full, spans dropped" notes are not part of the cost.
        configuration.traces.batchSpanProcessor.scheduleDelay = .seconds(1)
        configuration.diagnosticLogLevel = .error
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        let tracer = SwitchableTracer(backend.factory)
        InstrumentationSystem.bootstrap(tracer)
        let exporter = Task { try await backend.service.run() }
        let setups: [(name: String, pair: ActorPair, tracer: Bool, traced: Bool)] = [
            ("plain", plain, false, false), ("metrics", metered, false, false), ("plain, tracer", plain, true, false),
            ("metrics + tracer", metered, true, false), ("metrics + tracer, every call traced", metered, true, true),
        ]
        var latencies = [[Double]](repeating: [], count: setups.count)
        for _ in 0..<calls {
            for (index, setup) in setups.enumerated() {
                tracer.set(enabled: setup.tracer)
                let begin = ContinuousClock.now
                try await setup.pair.call(traced: setup.traced)
                latencies[index].append(Measure.seconds(ContinuousClock.now - begin) * 1e6)
            }
        }
        var rates = [[Double]](repeating: [], count: setups.count)
        for _ in 0..<rounds {
            for (index, setup) in setups.enumerated() {
                tracer.set(enabled: setup.tracer)
                rates[index].append(try await setup.pair.throughput(traced: setup.traced))
            }
        }
        exporter.cancel()

        print(
            "| Invoke round trip | one at a time: p50 of \(calls) calls (range of the p50s of its tenths) | 32 in flight: median of \(rounds) rounds (range) | Goal |"
        )
        print("|---|---|---|---|")
        let baseLatency = Measure.median(latencies[0])
        let baseRate = Measure.median(rates[0])
        for (index, setup) in setups.enumerated() {
            let tenths = stride(from: 0, to: calls, by: calls / 10).map {
                Measure.median(Array(latencies[index][$0..<$0 + calls / 10]))
            }
            let latency = Measure.median(latencies[index])
            let rate = Measure.median(rates[index])
            let goal = index == 0 || setup.traced ? "" : "within 5% of plain"
            print(
                "| \(setup.name) | \(String(format: "%.0f µs (%.0f–%.0f) %+.1f%%", latency, tenths.min()!, tenths.max()!, (latency / baseLatency - 1) * 100)) | \(String(format: "%.0f /s (%.0f–%.0f) %+.1f%%", rate, rates[index].min()!, rates[index].max()!, (rate / baseRate - 1) * 100)) | \(goal) |"
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
}

extension ActorPair {
    /// One round trip; `traced`: made inside a span of its own, as a command a person gave, so the callee's handler
    /// joins its trace.
    func call(traced: Bool) async throws {
        guard traced else { return try await invoke() }
        try await withSpan("bench") { _ in try await invoke() }
    }

    /// Round trips per second with 32 in flight for 1 s; `traced`: each call made inside a span of its own, as a
    /// command a person gave, so the callee's handler joins its trace.
    func throughput(traced: Bool) async throws -> Double {
        let duration: Duration = .seconds(1)
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
        return total / Measure.seconds(ContinuousClock.now - started)
    }
}
