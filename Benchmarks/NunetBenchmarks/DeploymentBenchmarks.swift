import DMSCore
import DMSEnsemble
import DMSExecutorWasm
import DMSOrchestrator
import Foundation

/// hello-wasm deployed to the local node: time from the deployment request to Completed (bids, matching,
/// commit, allocate, a `nunet-wasm` child running the module built from examples/hello-wasm/hello.c,
/// the task's end, logs copied, provider released). Goal: p50 and p99 under 100 ms.
enum DeploymentBenchmarks {
    static func run() async throws {
        let module = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/hello-wasm/hello.wasm")
        guard let bytes = try? Data(contentsOf: module) else {
            print("deploy: build the module first: examples/hello-wasm/build.sh")
            return
        }
        let node = try await LocalDeploymentNode(executors: [.wasm: WasmExecutor()])
        let registry = node.registry
        let ensemble = try EnsembleParser.parse(
            yaml: """
                version: V1
                allocations:
                  hello:
                    type: task
                    executor: wasm
                    resources: {cpu: {cores: 0.5}, ram: {size: 64MiB}, disk: {size: 64MiB}}
                    execution: {type: wasm, module: {inline: \(Base64.encode(Array(bytes)))}, args: [from, nunet]}
                """)
        var samples: [Double] = []
        for round in 0..<220 {
            let start = ContinuousClock.now
            let id = try await registry.create(ensemble, timeout: 60)
            let status = try await registry.wait(id, for: [.completed, .failed])
            let elapsed = ContinuousClock.now - start
            guard status == .completed else {
                let reason = try await registry.record(id).reason
                fatalError("hello-wasm ended \(status): \(reason)")
            }
            if round == 5, ProcessInfo.processInfo.environment["NUNET_BENCH_TRACE"] != nil {
                let record = try await registry.record(id)
                let start = record.createdAt
                for event in record.events {
                    print(String(format: "%7.1f ms %@ %@", (event.at - start) * 1000, event.status, event.reason))
                }
            }
            if round >= 20 {
                samples.append(Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
            }
        }
        samples.sort()
        let p50 = samples[samples.count / 2]
        let p99 = samples[samples.count * 99 / 100]
        Measure.row(
            "hello-wasm request → Completed, local node, p50", String(format: "%.1f ms", p50 * 1000), "< 100 ms")
        Measure.row(
            "hello-wasm request → Completed, local node, p99", String(format: "%.1f ms", p99 * 1000), "< 100 ms")
        await node.stop()
    }
}
