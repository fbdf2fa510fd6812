import DMSActor
import DMSCore
import DMSEnsemble
import DMSExecutor
import DMSMessages
import DMSResources
import Foundation
import Logging

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One allocation on this provider: its actor (start, wait, stop, status, logs, health), its executions
/// and its resources. Resources are allocated while an execution runs and released whenever one ends,
/// however it ends.
actor AllocationRunner {
    nonisolated let spec: AllocationSpec
    nonisolated let actor: BasicActor
    nonisolated let executor: any Executor
    private let resources: ResourceManager
    private let settings: ProviderSettings
    private let persist: @Sendable (AllocationRecord) -> Void
    private let logger: Logger
    private var record: AllocationRecord
    private var stopping: String?
    /// A start is between its first await and the run being recorded; a stop arriving then is kept here
    /// and applied as soon as the run exists.
    private var starting = false
    private var stopWhenStarted: String?
    /// What a start in progress is doing (an image pull), for the orchestrator to show.
    private var progress: String?
    private var endWaiters: [UUID: CheckedContinuation<Void, Never>] = [:]

    init(
        record: AllocationRecord, actor: BasicActor, executor: any Executor, resources: ResourceManager,
        settings: ProviderSettings, logger: Logger, persist: @escaping @Sendable (AllocationRecord) -> Void
    ) {
        self.spec = record.spec
        self.record = record
        self.actor = actor
        self.executor = executor
        self.resources = resources
        self.settings = settings
        self.logger = logger
        self.persist = persist
    }

    var directory: URL { settings.workDirectory.appendingPathComponent(spec.id, isDirectory: true) }
    var executionID: String { "\(spec.id)-\(record.run)" }
    var state: AllocationState { record.state }

    var status: AllocationStatusReply {
        AllocationStatusReply(
            id: spec.id, state: record.state, run: record.run, result: record.result, reason: record.reason,
            progress: progress, usage: record.usage)
    }

    func registerBehaviors() {
        actor.addBehavior(Behaviors.allocationStart) { [self] _ in try Payload.encode(await start()) }
        actor.addBehavior(Behaviors.allocationWait) { [self] message in
            let request = try message.decode(AllocationWaitRequest.self)
            return try Payload.encode(await wait(run: request.run, hold: request.hold))
        }
        actor.addBehavior(Behaviors.allocationStop) { [self] _ in
            await stop(reason: "stopped by the orchestrator")
            return try Payload.encode(await self.status)
        }
        actor.addBehavior(Behaviors.allocationStatus) { [self] _ in
            try Payload.encode(await self.status)
        }
        actor.addBehavior(Behaviors.allocationLogs) { [self] message in
            let request =
                (message.envelope.message?.isEmpty ?? true)
                ? AllocationLogsRequest() : try message.decode(AllocationLogsRequest.self)
            return try Payload.encode(await logs(request))
        }
        actor.addBehavior(Behaviors.allocationHealth) { [self] _ in
            try Payload.encode(await health())
        }
    }

    /// Starts a new run unless one is running (then it answers with that run: starting is idempotent).
    func start() async -> AllocationStartReply {
        if record.state == .running || starting {
            return AllocationStartReply(ok: true, error: nil, run: record.run + (starting ? 1 : 0))
        }
        starting = true
        let reply = await startRun()
        // No longer starting before a stop that came meanwhile is applied: `stop` would park it again.
        starting = false
        if reply.ok, let reason = stopWhenStarted {
            stopWhenStarted = nil
            await stop(reason: reason)
        }
        stopWhenStarted = nil
        return reply
    }

    private func startRun() async -> AllocationStartReply {
        do {
            try await acquireResources()
        } catch {
            return AllocationStartReply(ok: false, error: "\(error)", run: record.run)
        }
        let workload: Workload
        do {
            workload = try await WorkloadResolver.workload(
                for: spec.execution, type: spec.type, ports: spec.ports ?? [], defaultFuel: settings.defaultFuel)
        } catch {
            await releaseResources()
            return AllocationStartReply(ok: false, error: "\(error)", run: record.run, permanent: error.isPermanent)
        }
        if record.run > 0 { try? await executor.remove(executionID) }
        record.run += 1
        stopping = nil
        progress = nil
        let request = ExecutionRequest(
            executionID: executionID, workload: workload, resources: spec.resources, logDirectory: directory,
            mounts: mounts(), timeout: WorkloadResolver.timeout(for: spec.execution),
            labels: ["nunet.deployment": spec.ensembleID, "nunet.allocation": spec.name]
        ) { [weak self] text in
            Task { await self?.setProgress(text) }
        }
        do {
            try await executor.start(request)
        } catch {
            await releaseResources()
            end(ExecutionResult(exitCode: -1, error: "\(error)"), reason: "could not start: \(error)")
            return AllocationStartReply(ok: false, error: "\(error)", run: record.run, permanent: error.isPermanent)
        }
        record.state = .running
        record.result = nil
        record.reason = nil
        record.startedAt = Date().timeIntervalSince1970
        progress = nil
        persist(record)
        logger.info("allocation started", metadata: ["allocation": "\(spec.id)", "run": "\(record.run)"])
        watch(run: record.run)
        return AllocationStartReply(ok: true, error: nil, run: record.run)
    }

    private func setProgress(_ text: String) {
        if starting { progress = text }
    }

    /// Waits for the run's execution to end, then records how.
    private func watch(run: Int) {
        let id = executionID
        let executor = self.executor
        Task {
            let result: ExecutionResult
            do {
                result = try await executor.wait(id)
            } catch {
                result = ExecutionResult(exitCode: -1, error: "\(error)")
            }
            await self.finished(run: run, result: result)
        }
    }

    private func finished(run: Int, result: ExecutionResult) async {
        guard run == record.run, record.state == .running else { return }
        await releaseResources()
        let reason: String
        if let stopping {
            reason = stopping
        } else if result.succeeded {
            reason = "exited 0"
        } else {
            reason = result.error ?? "exited \(result.exitCode)"
        }
        end(result, reason: reason)
        logger.info(
            "allocation ended",
            metadata: ["allocation": "\(spec.id)", "run": "\(run)", "state": "\(record.state)", "reason": "\(reason)"])
    }

    private func end(_ result: ExecutionResult, reason: String) {
        record.result = result
        record.reason = reason
        if let started = record.startedAt {
            let usage = record.usage ?? AllocationUsage(currency: spec.price?.currency ?? "NTX")
            record.usage = usage.adding(run: Date().timeIntervalSince1970 - started, at: spec.price)
            record.startedAt = nil
        }
        if stopping != nil {
            record.state = .stopped
        } else {
            record.state = result.succeeded ? .completed : .failed
        }
        persist(record)
        for waiter in endWaiters.values { waiter.resume() }
        endWaiters.removeAll()
    }

    /// Answers when run `run` has ended, or after `hold` seconds saying it still runs.
    func wait(run: Int, hold: Double) async -> AllocationStatusReply {
        let hold = min(max(hold, 0), settings.maximumWaitHold)
        if hasEnded(run) || hold == 0 { return status }
        let id = UUID()
        let timer = Task {
            try? await Task.sleep(for: .milliseconds(Int64(hold * 1000)))
            self.expireWaiter(id)
        }
        // Registered before this actor can run anything else, so the timer cannot expire it too early.
        await withCheckedContinuation { endWaiters[id] = $0 }
        timer.cancel()
        return status
    }

    private func hasEnded(_ run: Int) -> Bool {
        !starting && (record.run > run || (record.run == run && record.state != .running))
    }

    private func expireWaiter(_ id: UUID) { endWaiters.removeValue(forKey: id)?.resume() }

    /// Kills the running execution (if any) and waits for it to end; a stopped allocation stays stopped.
    func stop(reason: String) async {
        if starting {
            stopWhenStarted = reason
            return
        }
        guard record.state == .running else {
            if record.state == .pending {
                record.state = .stopped
                record.reason = reason
                persist(record)
            }
            return
        }
        stopping = reason
        let run = record.run
        try? await executor.cancel(executionID, reason: reason)
        _ = await wait(run: run, hold: 10)
    }

    /// After a restart of the daemon, a run found `running` in the store: taken back when its execution
    /// outlived the daemon (a container), else marked as having died with it.
    func recoverAtRestart() async {
        guard record.state == .running else { return }
        if await executor.reattach(executionID, logDirectory: directory, resources: spec.resources) {
            logger.info("allocation re-attached", metadata: ["allocation": "\(spec.id)", "run": "\(record.run)"])
            watch(run: record.run)
            return
        }
        markLostAtRestart()
    }

    /// Marks a run that died with the daemon (found `running` in the store at start).
    private func markLostAtRestart() {
        guard record.state == .running else { return }
        record.state = .failed
        record.reason = "the daemon stopped while it ran"
        record.result = ExecutionResult(exitCode: -1, killed: true, error: record.reason)
        // When it died is unknown, so the run is not counted as used time rather than guessed.
        record.startedAt = nil
        persist(record)
    }

    func logs(_ request: AllocationLogsRequest) -> AllocationLogsReply {
        LogFiles.reply(from: directory, request, running: record.state == .running)
    }

    /// Runs the allocation's health check: an HTTP GET whose body must equal the expected response, or a
    /// command in the execution whose output must contain it. No check registered: healthy while running.
    func health() async -> HealthReply {
        guard record.state == .running else {
            return HealthReply(healthy: false, message: "allocation is \(record.state.rawValue)")
        }
        guard let check = spec.healthcheck else { return HealthReply(healthy: true, message: "running") }
        switch check.type {
        case .http:
            var published = check
            published.endpoint = PublishedEndpoint.resolve(check.endpoint, bindings: spec.ports ?? [])
            return await Self.httpCheck(published)
        case .command:
            do {
                let result = try await executor.exec(executionID, command: check.exec)
                guard result.exitCode == 0 else {
                    return HealthReply(healthy: false, message: "command exited \(result.exitCode)")
                }
                if let expected = check.expectedResponse, !result.output.contains(expected) {
                    return HealthReply(healthy: false, message: "output does not contain \"\(expected)\"")
                }
                return HealthReply(healthy: true, message: "command succeeded")
            } catch {
                return HealthReply(healthy: false, message: "\(error)")
            }
        }
    }

    static func httpCheck(_ check: HealthCheck) async -> HealthReply {
        guard let url = URL(string: check.endpoint) else {
            return HealthReply(healthy: false, message: "endpoint \(check.endpoint) is not a URL")
        }
        var request = URLRequest(url: url)
        request.timeoutInterval = 5
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            guard (200..<300).contains(status) else { return HealthReply(healthy: false, message: "HTTP \(status)") }
            let body = String(decoding: data, as: UTF8.self)
            if let expected = check.expectedResponse, body != expected {
                return HealthReply(healthy: false, message: "body \"\(body.prefix(80))\" is not \"\(expected)\"")
            }
            return HealthReply(healthy: true, message: "HTTP \(status)")
        } catch {
            return HealthReply(healthy: false, message: "GET \(check.endpoint): \(error.localizedDescription)")
        }
    }

    private func mounts() -> [Mount] {
        spec.volumes.filter { $0.type == .local }.map {
            Mount(hostPath: $0.src, guestPath: $0.mountDestination, readOnly: $0.readOnly)
        }
    }

    /// Moves the commitment to an allocation, or (a restart, or a commitment that expired while the
    /// allocation waited for its dependencies) commits again first.
    private func acquireResources() async throws {
        if await resources.allocation(spec.id) != nil { return }
        if !(await resources.snapshot.commitmentIDs.contains(spec.id)) {
            try await resources.commit(spec.id, demand: spec.resources, expiresAt: Date().timeIntervalSince1970 + 60)
        }
        try await resources.allocate(spec.id)
    }

    private func releaseResources() async {
        if await resources.allocation(spec.id) != nil { try? await resources.deallocate(spec.id) }
    }

    /// Stops any run and gives back everything the allocation holds (revert, end of deployment).
    func release() async {
        await stop(reason: "released by the orchestrator")
        if record.run > 0 { try? await executor.remove(executionID) }
        // The logs live here only while the allocation does (the orchestrator keeps its own copy).
        try? FileManager.default.removeItem(at: directory)
        await releaseResources()
        if await resources.snapshot.commitmentIDs.contains(spec.id) { try? await resources.uncommit(spec.id) }
        await actor.stop()
    }
}
