import DMSActor
import DMSCore
import DMSCrypto
import DMSEnsemble
import DMSMessages
import DMSStore
import Foundation
import Logging

/// The deployments this node orchestrates: creates an orchestrator per request, answers status,
/// manifest, logs and listings from memory or the store, and restores live deployments after a restart.
public actor DeploymentRegistry {
    private let root: BasicActor
    private let nodeKey: PrivateKey
    private let repository: DeploymentRepository
    private let settings: OrchestratorSettings
    private let logger: Logger
    private var orchestrators: [String: Orchestrator] = [:]

    /// The shortest deployment deadline accepted.
    public static let minimumTimeout: Double = 1

    public init(
        root: BasicActor, nodeKey: PrivateKey, repository: DeploymentRepository, settings: OrchestratorSettings,
        logger: Logger
    ) {
        self.root = root
        self.nodeKey = nodeKey
        self.repository = repository
        self.settings = settings
        self.logger = logger
    }

    /// Validates what only the node can check, saves the deployment and starts orchestrating it; returns
    /// its ID at once. Nothing is created when the ensemble is refused.
    public func create(
        _ ensemble: Ensemble, timeout: Double, queue: Bool = false, maxCost: CostLimit? = nil
    ) async throws(OrchestratorError)
        -> String
    {
        guard timeout >= Self.minimumTimeout else {
            throw .invalid("timeout: \(timeout) s is too short (at least \(Self.minimumTimeout) s)")
        }
        try Self.checkExecutable(ensemble)
        let id = UUID().uuidString.lowercased()
        let now = Date().timeIntervalSince1970
        let orchestrator = makeOrchestrator(id: id) { actor in
            DeploymentRecord(
                id: id, ensemble: ensemble,
                manifest: DeploymentManifest(
                    id: id, orchestrator: HandleReference(actor.handle), metadata: ensemble.metadata),
                createdAt: now, deadline: now + timeout, queue: queue, maxCost: maxCost)
        }
        let record = await orchestrator.record
        do {
            try Self.save(record, event: record.events.first, to: repository)
        } catch {
            throw .store("deployment not saved: \(error)")
        }
        orchestrators[id] = orchestrator
        Task { await orchestrator.launch(restoring: false) }
        return id
    }

    /// Refusals that depend on what executors can do, not on the YAML schema.
    static func checkExecutable(_ ensemble: Ensemble) throws(OrchestratorError) {
        var problems: [String] = UnsupportedFields.paths(in: ensemble).map { "\(UnsupportedFields.message): \($0)" }
        for (name, allocation) in ensemble.allocations.sorted(by: { $0.key < $1.key }) {
            if allocation.executor == .wasm, allocation.healthcheck?.type == .command {
                problems.append(
                    "allocations.\(name).healthcheck.type: \"command\" — a WASM module has no shell to run commands in; use http"
                )
            }
            if case .wasm(let wasm) = allocation.execution, case .path(let path) = wasm.module {
                problems.append(
                    "allocations.\(name).execution.module: path \"\(path)\" must be inlined before deploying (nunet deploy does it)"
                )
            }
        }
        guard problems.isEmpty else { throw .invalid(problems.joined(separator: "\n")) }
    }

    private func makeOrchestrator(id: String, record makeRecord: (BasicActor) -> DeploymentRecord) -> Orchestrator {
        let child = root.createChild(
            inbox: "orchestrator-\(id)", key: ActorKeys.derive(from: nodeKey, label: "orchestrator:\(id)"))
        try? child.start()
        let repository = self.repository
        let logger = self.logger
        return Orchestrator(
            record: makeRecord(child), actor: child, settings: settings, logger: logger
        ) { record, event in
            do {
                try Self.save(record, event: event, to: repository)
            } catch {
                logger.error("deployment \(record.id) not saved: \(error)")
            }
        }
    }

    static func save(_ record: DeploymentRecord, event: DeploymentEvent?, to repository: DeploymentRepository) throws {
        var stored = record
        stored.events = []
        let json = String(decoding: try Payload.encode(stored), as: UTF8.self)
        try repository.save(
            StoredDeployment(
                id: record.id, status: record.status.name, createdAt: record.createdAt, updatedAt: record.updatedAt,
                completedAt: record.completedAt, metadata: record.ensemble.metadata, record: json),
            event: event)
    }

    /// Picks up every deployment that was live when the daemon stopped.
    public func restore() async {
        let live = DeploymentStatus.allCases.filter { !$0.isTerminal }.map(\.name)
        let stored: [StoredDeployment]
        do {
            stored = try repository.all(statuses: live)
        } catch {
            logger.error("deployments not restored: \(error)")
            return
        }
        for entry in stored {
            guard var record = try? load(entry) else {
                logger.error("deployment \(entry.id) is unreadable; not restored")
                continue
            }
            record.events = (try? repository.events(of: entry.id)) ?? []
            let orchestrator = makeOrchestrator(id: entry.id) { _ in record }
            orchestrators[entry.id] = orchestrator
            logger.info("deployment restored", metadata: ["deployment": "\(entry.id)", "status": "\(record.status)"])
            await orchestrator.launch(restoring: true)
        }
        removeStrayLogDirectories()
    }

    /// Log directories of deployments the store no longer has: a crash between a prune's (or delete's)
    /// transaction and the removal of the directories leaves them.
    private func removeStrayLogDirectories() {
        guard let known = try? repository.ids() else { return }
        for id in StrayEntries.remove(in: settings.logDirectory, keeping: known) {
            logger.info("removed the logs of a deployment no longer stored", metadata: ["deployment": "\(id)"])
        }
    }

    private func load(_ stored: StoredDeployment) throws -> DeploymentRecord {
        try JSONDecoder().decode(DeploymentRecord.self, from: Data(stored.record.utf8))
    }

    /// The deployment's record with its full history, live or from the store.
    public func record(_ id: String) async throws(OrchestratorError) -> DeploymentRecord {
        if let orchestrator = orchestrators[id] { return await orchestrator.record }
        do {
            guard let stored = try repository.load(id) else { throw OrchestratorError.notFound(id) }
            var record = try load(stored)
            record.events = try repository.events(of: id)
            return record
        } catch let error as OrchestratorError {
            throw error
        } catch {
            throw .store("deployment \(id): \(error)")
        }
    }

    public func list(_ query: DeploymentQuery) throws(OrchestratorError) -> (
        deployments: [StoredDeployment], total: Int
    ) {
        do {
            return try repository.list(query)
        } catch {
            throw .store("\(error)")
        }
    }

    public func shutdown(_ id: String) async throws(OrchestratorError) {
        guard let orchestrator = orchestrators[id] else {
            let record = try await record(id)
            throw .notLive(id, record.status)
        }
        try await orchestrator.shutdown()
    }

    public func logs(_ id: String, allocation: String, from request: AllocationLogsRequest)
        async throws(OrchestratorError)
        -> (AllocationLogsReply, URL)
    {
        if let orchestrator = orchestrators[id] { return try await orchestrator.logs(allocation, from: request) }
        let record = try await record(id)
        guard record.ensemble.allocations[allocation] != nil else { throw .unknownAllocation(id, allocation) }
        let directory = settings.logDirectory.appendingPathComponent(id).appendingPathComponent(allocation)
        return (LogFiles.reply(from: directory, request, running: false), directory)
    }

    /// Deletes finished deployments created before `before` (all finished ones when nil) and their logs.
    public func prune(before: Double?) async throws(OrchestratorError) -> [String] {
        let pruned: [String]
        do {
            pruned = try repository.prune(before: before)
        } catch {
            throw .store("\(error)")
        }
        for id in pruned { forget(id) }
        return pruned
    }

    /// Deletes one finished deployment; a live one must be shut down first.
    public func delete(_ id: String) async throws(OrchestratorError) {
        let record = try await record(id)
        guard record.status.isTerminal else { throw .notLive(id, record.status) }
        do {
            guard try repository.delete(id) else { throw OrchestratorError.notFound(id) }
        } catch let error as OrchestratorError {
            throw error
        } catch {
            throw .store("\(error)")
        }
        forget(id)
    }

    private func forget(_ id: String) {
        orchestrators[id] = nil
        try? FileManager.default.removeItem(at: settings.logDirectory.appendingPathComponent(id))
    }

    /// Daemon shutdown: orchestrators stop driving their deployments, which stay as they are in the
    /// store for the next start.
    public func suspendAll() async {
        for orchestrator in orchestrators.values { await orchestrator.suspend() }
    }

    /// Returns once the deployment's status is one of `statuses` or final (at once for one that is no
    /// longer live).
    public func wait(_ id: String, for statuses: Set<DeploymentStatus>) async throws(OrchestratorError)
        -> DeploymentStatus
    {
        guard let orchestrator = orchestrators[id] else { return try await record(id).status }
        return await orchestrator.waitUntil(statuses)
    }
}
