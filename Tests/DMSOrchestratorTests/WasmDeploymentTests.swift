import DMSCore
import DMSEnsemble
import DMSExecutor
import DMSExecutorWasm
import DMSOrchestrator
import Foundation
import NunetTestSupport
import Testing

/// WASM allocations deployed end to end with the real WASM executor (a `nunet-wasm` child per run): the
/// output reaches the orchestrator, and traps, out-of-fuel, out-of-memory and timeouts fail the
/// deployment with their reason.
@Suite struct WasmDeploymentTests {
    static let provider = Resources(cpu: CPUResources(cores: 4), ram: 8 << 30, disk: 50 << 30)

    static func ensemble(_ module: [UInt8], ram: String = "64MiB", extra: String = "") -> String {
        """
        version: V1
        allocations:
          app:
            type: task
            executor: wasm
            resources: {cpu: {cores: 1}, ram: {size: \(ram)}, disk: {size: 64MiB}}
            execution: {type: wasm, module: {inline: \(Base64.encode(module))}\(extra)}
        """
    }

    func deploy(_ yaml: String) async throws -> (DeploymentRecord, DeploymentCluster) {
        let cluster = try await DeploymentCluster(
            providers: [Self.provider], executors: { [.wasm: WasmExecutor(runner: BuildProducts.wasmRunner)] })
        return (try await cluster.orchestrator.deploy(yaml), cluster)
    }

    @Test func aWasmTaskCompletesAndItsOutputIsKept() async throws {
        let (record, cluster) = try await deploy(Self.ensemble(WasmFixtures.print("Hello from WASM!\n")))
        #expect(record.status == .completed, "\(record.reason)")
        let logs = try await cluster.orchestrator.registry.logs(record.id, allocation: "app", from: .init())
        #expect(logs.0.stdout == "Hello from WASM!\n")
    }

    @Test func aModuleThatCannotRunFailsAtOnceInsteadOfRetryingUntilTheDeadline() async throws {
        // The magic and version of a module, then a section that cannot be read.
        let (record, _) = try await deploy(Self.ensemble([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0xFF, 0xFF]))
        #expect(record.status == .failed)
        #expect(record.reason.hasPrefix("allocation app: start refused: invalid workload"), "\(record.reason)")
        #expect(!record.events.contains { $0.reason.hasPrefix("retrying") }, "\(record.events)")
    }

    @Test func aTrapFailsTheDeploymentWithTheTrap() async throws {
        let (record, _) = try await deploy(Self.ensemble(WasmFixtures.unreachable))
        #expect(record.status == .failed)
        #expect(record.reason.contains("trap: unreachable"), "\(record.reason)")
    }

    @Test func runningOutOfFuelFailsTheDeployment() async throws {
        let (record, _) = try await deploy(Self.ensemble(WasmFixtures.printThenSpin("x"), extra: ", fuel: 100000"))
        #expect(record.status == .failed)
        #expect(record.reason.contains("out of fuel"), "\(record.reason)")
    }

    @Test func outgrowingTheRAMFailsTheDeployment() async throws {
        let (record, _) = try await deploy(Self.ensemble(WasmFixtures.grow(pages: 100), ram: "1MiB"))
        #expect(record.status == .failed)
        #expect(record.reason.contains("out of memory"), "\(record.reason)")
    }

    @Test func aTimeoutKillsTheRunAndFailsTheDeployment() async throws {
        let (record, cluster) = try await deploy(
            Self.ensemble(WasmFixtures.printThenSpin("x"), extra: ", fuel: 1000000000000, timeout: 1s"))
        #expect(record.status == .failed)
        #expect(record.reason.contains("timed out after 1s"), "\(record.reason)")
        #expect(await cluster.orchestrator.resources.freeResources == Self.provider)
    }
}
