import DMSActor
import DMSCapabilities
import DMSCore
import DMSCrypto
import DMSEnsemble
import DMSExecutor
import DMSMessages
import DMSNetwork
import DMSResources
import DMSStore
import Foundation
import Logging
import NunetTestSupport
import Testing

@testable import DMSProvider

/// One allocation on a provider (the reference's allocation cases, with the Noop executor): how runs
/// end, idempotent start and stop, restart from failed, and resources held only while a run lives.
@Suite struct AllocationRunnerTests {
    let directory = TemporaryDirectory()
    let resources: ResourceManager
    let store: Store
    static let offered = Resources(cpu: CPUResources(cores: 2), ram: 4 << 30, disk: 10 << 30)

    init() async throws {
        store = try Store.open(inDirectory: directory.path)
        resources = try ResourceManager(repository: ResourceRepository(store: store))
        try await resources.onboard(Self.offered)
    }

    func runner(_ execution: NullExecution, type: AllocationType = .task) throws -> AllocationRunner {
        let key = PrivateKey()
        let context = CapabilityContext(name: "p", did: DID(publicKey: key.publicKey), signer: key)
        let actor = BasicActor(
            key: key, capabilities: context, network: InMemoryNetworkHub().host("p"), inbox: "allocation")
        let spec = AllocationSpec(
            id: "e_n.a", name: "a", ensembleID: "e", nodeID: "n", type: type,
            resources: Resources(cpu: CPUResources(cores: 1), ram: 1 << 30, disk: 1 << 30), execution: .null(execution),
            healthcheck: nil, volumes: [], orchestrator: HandleReference(actor.handle))
        return AllocationRunner(
            record: AllocationRecord(spec: spec, state: .pending, run: 0, result: nil, reason: nil), actor: actor,
            executor: NoopExecutor(), resources: resources,
            settings: ProviderSettings(workDirectory: URL(fileURLWithPath: directory.path)),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        ) { _ in }
    }

    func finish(_ runner: AllocationRunner, run: Int) async -> AllocationStatusReply {
        await runner.wait(run: run, hold: 10)
    }

    @Test func exitZeroCompletesAndExitOneFails() async throws {
        let good = try runner(NullExecution(exitCode: 0, seconds: 0, stdout: "ok"))
        #expect(await good.start().ok)
        #expect(await finish(good, run: 1).state == .completed)
        let bad = try runner(NullExecution(exitCode: 1, seconds: 0))
        #expect(await bad.start().ok)
        let ended = await finish(bad, run: 1)
        #expect(ended.state == .failed)
        #expect(ended.result?.exitCode == 1)
        #expect(await resources.freeResources == Self.offered)
    }

    @Test func aKilledRunIsNeverCompletedAndAStoppedOneStaysStopped() async throws {
        let service = try runner(NullExecution(exitCode: 0, seconds: nil), type: .service)
        #expect(await service.start().run == 1)
        #expect(await service.start().run == 1, "starting a running allocation is a no-op")
        #expect(await resources.allocatedResources.cpu.cores == 1)
        await service.stop(reason: "stopped by the orchestrator")
        let stopped = await service.status
        #expect(stopped.state == .stopped)
        #expect(stopped.result?.killed == true)
        await service.stop(reason: "again")
        #expect(await service.status == stopped, "stopping a stopped allocation changes nothing")
        #expect(await resources.freeResources == Self.offered)
    }

    @Test func aFailedAllocationRestartsAsANewRun() async throws {
        let bad = try runner(NullExecution(exitCode: 2, seconds: 0))
        _ = await bad.start()
        #expect(await finish(bad, run: 1).state == .failed)
        let again = await bad.start()
        #expect(again.ok && again.run == 2)
        #expect(await finish(bad, run: 2).state == .failed)
    }

    @Test func aStopThatArrivesDuringAStartIsAppliedOnceTheRunExists() async throws {
        let service = try runner(NullExecution(exitCode: 0, seconds: nil), type: .service)
        async let started = service.start()
        async let stopped: Void = service.stop(reason: "crossed")
        _ = await (started, stopped)
        let status = await service.status
        #expect(status.state != .running, "\(status)")
        #expect(await resources.freeResources == Self.offered)
    }

    @Test func aRunFoundRunningAtRestartIsReportedLost() async throws {
        let service = try runner(NullExecution(exitCode: 0, seconds: nil), type: .service)
        _ = await service.start()
        await service.recoverAtRestart()
        let status = await service.status
        #expect(status.state == .failed)
        #expect(status.reason == "the daemon stopped while it ran")
    }
}
