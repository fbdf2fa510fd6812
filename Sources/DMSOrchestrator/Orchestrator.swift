import DMSActor
import DMSCore
import DMSEnsemble
import DMSMatching
import DMSMessages
import DMSStore
import Foundation
import Logging
import Tracing

/// One deployment, driven from the node that received it: bids, matching, commit, allocate, start in
/// dependency order, supervision until it ends, and every status change saved with its reason.
/// Orchestrators are child actors of the node with keys derived from the node key, so a restarted
/// daemon picks its deployments up under the same handles.
public actor Orchestrator {
    public nonisolated let id: String
    nonisolated let actor: BasicActor
    let settings: OrchestratorSettings
    let logger: Logger
    private let save: @Sendable (DeploymentRecord, DeploymentEvent?) -> Void
    var record: DeploymentRecord
    var progress: [String: AllocationProgress] = [:]
    var everStarted = Set<String>()
    var stopRequested = Set<String>()
    private var supervisor: Supervisor?
    private var supervisorExit: ProcessExit?
    private var main: Task<Void, Never>?
    private var changeWaiters: [CheckedContinuation<Void, Never>] = []
    var suspended = false
    private var redeploys = 0
    var replacements: [String: Task<String?, Never>] = [:]
    /// Set when something happened that ends the deployment whatever supervision would do (a provider
    /// lost under `stay_down`).
    var fatal: String?
    /// Set when a provider refused a start in a way no retry can change (an image that does not exist):
    /// the deployment fails at once instead of retrying until its deadline.
    var permanentFailure: String?

    init(
        record: DeploymentRecord, actor: BasicActor, settings: OrchestratorSettings, logger: Logger,
        save: @escaping @Sendable (DeploymentRecord, DeploymentEvent?) -> Void
    ) {
        self.id = record.id
        self.record = record
        self.actor = actor
        self.settings = settings
        self.logger = logger
        self.save = save
        for name in record.ensemble.allocations.keys { progress[name] = AllocationProgress() }
    }

    var ensemble: Ensemble { record.ensemble }

    /// Starts deploying (or, for a restored record, picks up where the daemon left off).
    func launch(restoring: Bool) {
        main = Task { restoring ? await self.resume() : await self.deploy() }
    }

    // MARK: - Status

    /// Records a status change with its reason; a change the state machine forbids is logged, not made.
    func move(_ status: DeploymentStatus, _ reason: String) {
        guard !suspended else { return }
        guard record.status.canMove(to: status) else {
            if record.status != status { logger.warning("deployment \(id): no move \(record.status) -> \(status)") }
            return
        }
        let now = Date().timeIntervalSince1970
        record.status = status
        record.updatedAt = now
        if status.isTerminal { record.completedAt = now }
        let event = DeploymentEvent(at: now, status: status.name, reason: reason)
        record.events.append(event)
        save(record, event)
        logger.info("deployment \(status)", metadata: ["deployment": "\(id)", "reason": "\(reason)"])
        signal()
    }

    func persist() {
        guard !suspended else { return }
        record.updatedAt = Date().timeIntervalSince1970
        save(record, nil)
    }

    func signal() {
        let waiters = changeWaiters
        changeWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    /// Waits until `condition` holds, re-checking after every change.
    func until(_ condition: () -> Bool) async {
        while !condition() && !Task.isCancelled {
            await withCheckedContinuation { changeWaiters.append($0) }
        }
    }

    /// Stops driving the deployment without changing it (daemon shutdown: a restart resumes it).
    func suspend() async {
        suspended = true
        main?.cancel()
        signal()
    }

    // MARK: - Deploying

    /// One trace span per attempt to place and start the deployment (bids, matching, commit, allocate, start as
    /// its children); supervision afterwards is not part of it, as it lasts as long as the deployment.
    func deploy() async {
        let running = await withSpan("deployment", ofKind: .internal) { span in
            span.attributes["nunet.deployment.id"] = id
            return await placeAndStart()
        }
        if running { await supervise() }
    }

    /// Bids, matching, commit, allocate and start until every allocation runs (true), or the deployment ends or
    /// is suspended (false).
    private func placeAndStart() async -> Bool {
        var lastReason = "no placement tried"
        var attempt = 0
        while !Task.isCancelled && !suspended {
            if Date().timeIntervalSince1970 >= record.deadline {
                await finish(.failed, "not running by the deadline: \(lastReason)")
                return false
            }
            attempt += 1
            if attempt > 1 {
                move(.preparing, "retrying: \(lastReason)")
                // Back off (0.2 s doubling to 5 s) so a persistent refusal does not spin.
                try? await Task.sleep(for: .milliseconds(min(5000, 100 << min(attempt - 1, 6))))
            }
            let demands = nodeDemands()
            let (offers, declines) = await withSpan("deployment.bids") { _ in await collectBids(demands) }
            guard !Task.isCancelled, !suspended else { return false }
            let placement = withSpan("deployment.matching") { _ in
                Matching.place(
                    demands, offers: offers.map(\.offer), excludedPeers: excludedPeers, declines: declines,
                    now: Int64(Date().timeIntervalSince1970))
            }
            let refusal =
                placement.isComplete ? record.maxCost?.refusal(of: Array(placement.estimates.values)) : nil
            guard placement.isComplete, refusal == nil else {
                lastReason = refusal ?? placement.explanation
                if record.queue { continue }
                await finish(.failed, lastReason)
                return false
            }
            let handles = Dictionary(offers.map { ($0.offer.peer, $0.handle) }, uniquingKeysWith: { first, _ in first })
            move(.committing, Self.placed(placement))
            if let failure = await withSpan(
                "deployment.commit",
                { _ in await commitAll(placement.assignment, handles: handles, estimates: placement.estimates) })
            {
                lastReason = failure
                await revertAll(clearing: true)
                continue
            }
            move(.provisioning, "committed")
            if let failure = await withSpan("deployment.allocate", { _ in await allocateAll() }) {
                lastReason = failure
                await revertAll(clearing: true)
                continue
            }
            if let failure = await withSpan("deployment.start", { _ in await startAll(reattaching: false) }) {
                lastReason = failure
                await stopSupervision()
                await revertAll(clearing: true)
                if let permanent = permanentFailure {
                    await finish(.failed, permanent)
                    return false
                }
                continue
            }
            move(.running, "all allocations started")
            return true
        }
        return false
    }

    var excludedPeers: Set<String> { Set(ensemble.excludePeers) }

    func nodeDemands() -> [NodeDemand] {
        ensemble.nodeNames.map { name in
            let node = ensemble.nodes[name]!
            do {
                return try NodeDemand(node: node, allocations: ensemble.allocations)
            } catch {
                // Resources whose sum overflows fit no offer: ask for everything, so matching says why.
                let everything = Resources(cpu: CPUResources(cores: 1e13), ram: .max, disk: .max)
                return NodeDemand(name: name, resources: everything)
            }
        }
    }

    /// `placed web on 12D3…, db on 12D3…; estimated cost 2.4 NTX (web 0.9 NTX (0.3 NTX/h × 3 h), …)`.
    static func placed(_ placement: Placement) -> String {
        let nodes = placement.assignment.sorted { $0.key < $1.key }
        let text = "placed " + nodes.map { "\($0.key) on \($0.value)" }.joined(separator: ", ")
        let charged = nodes.compactMap { node in placement.estimates[node.key].map { (node.key, $0) } }
            .filter { !$0.1.isFree }
        guard !charged.isEmpty else { return text }
        let currencies = Set(charged.map(\.1.price.currency))
        let parts = charged.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        guard currencies.count == 1, !charged.contains(where: { $0.1.isOpenEnded }) else {
            return text + "; estimated cost: \(parts)"
        }
        let total = charged.reduce(0) { $0 + $1.1.cost }
        return text + "; estimated cost \(ComputeCapability.Price.amount(total)) \(currencies.first!) (\(parts))"
    }

    // MARK: - Supervision

    /// Builds the supervisors from the plan and starts them; waits until every allocation has started
    /// once (tasks may already have finished). A start failure fails the attempt.
    func startAll(reattaching: Bool) async -> String? {
        for name in progress.keys {
            progress[name] = AllocationProgress(reattach: reattaching)
        }
        everStarted = reattaching ? Set(progress.keys) : []
        stopRequested = []
        supervisorExit = nil
        let root = makeSupervisor(SupervisionPlan.plan(for: ensemble), name: "ensemble \(id)")
        supervisor = root
        do {
            try await root.start()
        } catch {
            return "supervision did not start: \(error)"
        }
        Task { [weak self] in
            let exit = await root.waitForExit()
            await self?.supervisorEnded(root, exit)
        }
        var failure: String?
        await until {
            if let (name, reason) = startFailure() {
                failure = "allocation \(name) did not start: \(reason)"
                return true
            }
            return everStarted.count == progress.count || suspended
        }
        return failure
    }

    private func startFailure() -> (String, String)? {
        for (name, state) in progress where !everStarted.contains(name) {
            if case .failed(let reason) = state.phase { return (name, reason) }
        }
        return nil
    }

    private func supervisorEnded(_ root: Supervisor, _ exit: ProcessExit) {
        guard root === supervisor else { return }
        supervisorExit = exit
        signal()
    }

    private func makeSupervisor(_ plan: SupervisionPlan, name: String) -> Supervisor {
        let children = plan.members.enumerated().map { index, member -> ChildSpecification in
            switch member {
            case .allocation(let allocation, let policy):
                return ChildSpecification(name: allocation, restart: policy) { [self] in
                    RemoteAllocation(name: allocation, orchestrator: self)
                }
            case .group(let group):
                let child = makeSupervisor(group, name: "\(name)/\(index)")
                return ChildSpecification(name: "\(name)/\(index)", restart: .permanent) {
                    try await child.start()
                    return child
                }
            }
        }
        let deployment = id
        let logger = self.logger
        return Supervisor(
            name: name, strategy: plan.strategy, intensity: settings.restartIntensity, children: children
        ) { [weak self] event in
            logger.info("supervision: \(event)", metadata: ["deployment": "\(deployment)"])
            if case .restarted(let allocation, _) = event { Task { await self?.countRestart(allocation) } }
        }
    }

    private func countRestart(_ name: String) {
        guard record.manifest.allocations[name] != nil else { return }
        record.manifest.allocations[name]!.restarts += 1
        persist()
    }

    /// Watches the running deployment until it ends: tasks all done, a `stay_down` failure, supervision
    /// giving up (escalation), or a shutdown.
    func supervise() async {
        while !suspended && !record.status.isTerminal && !Task.isCancelled {
            if let fatal {
                await finish(.failed, fatal)
                return
            }
            if let (name, reason) = stayDownFailure() {
                await finish(.failed, "allocation \(name) failed: \(reason) (failure_recovery stay_down)")
                return
            }
            if ensemble.isTaskOnly && progress.values.allSatisfy({ $0.phase == .completed }) {
                await finish(.completed, "all tasks completed")
                return
            }
            if case .failure(let reason) = supervisorExit {
                await escalate(reason)
                return
            }
            await withCheckedContinuation { changeWaiters.append($0) }
        }
    }

    private func stayDownFailure() -> (String, String)? {
        for (name, state) in progress.sorted(by: { $0.key < $1.key }) {
            guard case .failed(let reason) = state.phase, !state.providerLost,
                ensemble.allocations[name]?.failureRecovery == .stayDown
            else { continue }
            return (name, reason)
        }
        return nil
    }

    /// Supervision gave up: redeploy elsewhere if the ensemble asks for it (and redeploys remain), else
    /// fail.
    private func escalate(_ reason: String) async {
        guard ensemble.escalationStrategy == .redeploy, redeploys < settings.maximumRedeploys else {
            await finish(.failed, reason)
            return
        }
        redeploys += 1
        // The redeployment gets as long to reach Running as the first deployment had.
        let span = record.deadline - record.createdAt
        record.deadline = Date().timeIntervalSince1970 + span
        await stopSupervision()
        await pullAllLogs()
        await revertAll(clearing: true)
        move(.preparing, "redeploying (\(redeploys) of \(settings.maximumRedeploys)) after: \(reason)")
        await deploy()
    }

    func stopSupervision() async {
        guard let root = supervisor else { return }
        supervisor = nil
        await root.stop()
    }

    // MARK: - Ending

    /// Ends the deployment: stops supervision and allocations, keeps their logs, releases the providers,
    /// and records the final status.
    func finish(_ status: DeploymentStatus, _ reason: String) async {
        guard !record.status.isTerminal, !suspended else { return }
        await stopSupervision()
        await pullAllLogs()
        await revertAll(clearing: false)
        move(status, reason)
    }

    /// Shuts the deployment down (from any live state), waiting until it is Completed.
    func shutdown() async throws(OrchestratorError) {
        guard !record.status.isTerminal else { throw .notLive(id, record.status) }
        if record.status == .shuttingDown { return }
        move(.shuttingDown, "shutdown requested")
        main?.cancel()
        await finish(.completed, "shut down by request")
    }

    /// Picks a restored deployment up.
    func resume() async {
        switch record.status {
        case .running:
            if let failure = await startAll(reattaching: true) {
                await finish(.failed, "after a restart: \(failure)")
                return
            }
            await supervise()
        case .shuttingDown:
            await finish(.completed, "shutdown finished after a restart")
        default:
            let interrupted = record.status
            await revertAll(clearing: true)
            if Date().timeIntervalSince1970 >= record.deadline {
                await finish(.failed, "the daemon stopped while the deployment was \(interrupted)")
                return
            }
            move(.preparing, "the daemon stopped while the deployment was \(interrupted); deploying again")
            await deploy()
        }
    }

    // MARK: - Queries

    /// Returns once the status is one of `statuses` or final.
    func waitUntil(_ statuses: Set<DeploymentStatus>) async -> DeploymentStatus {
        await until { statuses.contains(record.status) || record.status.isTerminal }
        return record.status
    }

    public var status: DeploymentStatus { record.status }

    func snapshot() -> DeploymentRecord { record }
}

public enum OrchestratorError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case notLive(String, DeploymentStatus)
    case unknownAllocation(String, String)
    case invalid(String)
    case store(String)

    public var description: String {
        switch self {
        case .notFound(let id): "deployment \(id) not found"
        case .notLive(let id, let status): "deployment \(id) is \(status), not live"
        case .unknownAllocation(let id, let name): "deployment \(id) has no allocation \(name)"
        case .invalid(let reason): reason
        case .store(let reason): reason
        }
    }
}
