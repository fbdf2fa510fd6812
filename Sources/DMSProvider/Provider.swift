import DMSActor
import DMSCore
import DMSCrypto
import DMSEnsemble
import DMSExecutor
import DMSMessages
import DMSResources
import DMSStore
import Foundation
import Logging

/// The provider side of deployments on a node: answers bid requests, commits resources and ports,
/// creates one allocation actor per allocation, and forgets them on revert. Allocations are stored, so
/// after a restart each one is known again, and one that was running is reported as ended with the
/// daemon.
public actor Provider {
    nonisolated let root: BasicActor
    private let nodeKey: PrivateKey
    nonisolated let peerID: String
    private let resources: ResourceManager
    private let executors: [ExecutorKind: any Executor]
    private let repository: ProviderAllocationRepository
    nonisolated let settings: ProviderSettings
    private let logger: Logger
    /// Where the provider says it is: the configured location until `nunet onboard --location` changes it.
    public private(set) var location: Location?
    /// The terms bids offer: the configured ones until `nunet onboard` changes them.
    public private(set) var terms: ComputeCapability
    private var runners: [String: AllocationRunner] = [:]
    /// Public ports held per `<ensemble>/<node>`.
    private var ports: [String: [Int]] = [:]

    public init(
        root: BasicActor, nodeKey: PrivateKey, resources: ResourceManager, executors: [ExecutorKind: any Executor],
        repository: ProviderAllocationRepository, settings: ProviderSettings, logger: Logger
    ) {
        self.root = root
        self.nodeKey = nodeKey
        self.peerID = PeerID(publicKey: nodeKey.publicKey).description
        self.resources = resources
        self.executors = executors
        self.repository = repository
        self.settings = settings
        self.logger = logger
        location = settings.location
        terms = settings.terms
    }

    /// Declares a new location; bids offer it from now on.
    public func setLocation(_ location: Location?) { self.location = location }

    /// Declares new terms (prices, time, connectivity); bids offer them from now on.
    public func setTerms(_ terms: ComputeCapability) { self.terms = terms }

    /// Registers the provider behaviors on the node's root actor and restores stored allocations.
    public func start() async throws {
        let provider = self
        root.addBehavior(Behaviors.bidRequest, options: BehaviorOptions(topic: Topics.deployment)) {
            message in
            try Payload.encode(await provider.bid(try message.decode(BidRequest.self)))
        }
        root.addBehavior(Behaviors.commit) { message in
            try Payload.encode(await provider.commit(try message.decode(CommitRequest.self)))
        }
        root.addBehavior(Behaviors.allocate) { message in
            try Payload.encode(await provider.allocate(try message.decode(AllocateRequest.self)))
        }
        root.addBehavior(Behaviors.revert) { message in
            await provider.revert(try message.decode(RevertRequest.self))
            return try Payload.encode(OKReply(ok: true))
        }
        try await restore()
    }

    /// Allocations found in the store: known again. A run whose execution outlived the daemon (a container)
    /// is taken back and keeps its resources; one that died with the daemon is marked failed (its
    /// orchestrator restarts it per its policy) and its resources are released. Whatever the executors left
    /// that no allocation claims is removed.
    private func restore() async throws {
        var running: Set<String> = []
        for stored in try repository.all() {
            guard let record = try? JSONDecoder().decode(AllocationRecord.self, from: Data(stored.record.utf8)) else {
                logger.error("stored allocation \(stored.id) is unreadable; dropped")
                try? repository.delete(stored.id)
                continue
            }
            let runner = try makeRunner(record)
            await runner.recoverAtRestart()
            let state = await runner.state
            if state == .running {
                running.insert(await runner.executionID)
            } else if await resources.allocation(record.spec.id) != nil {
                try? await resources.deallocate(record.spec.id)
            }
            runners[record.spec.id] = runner
            logger.info("allocation restored", metadata: ["allocation": "\(record.spec.id)", "state": "\(state)"])
        }
        for executor in executors.values { await executor.removeOrphans(keeping: running) }
        // Work directories no stored allocation claims: a crash between an allocation's end and the removal of
        // its directory leaves them.
        for id in StrayEntries.remove(in: settings.workDirectory, keeping: Set(runners.keys)) {
            logger.info(
                "removed the work directory of an allocation no longer known", metadata: ["allocation": "\(id)"])
        }
    }

    /// The executors that can run something now (a Docker executor whose daemon does not answer is not
    /// offered).
    public func offeredExecutors() async -> Set<ExecutorKind> {
        Set(await availabilities().filter(\.value.available).keys)
    }

    /// Each executor's state, for the node's status.
    public func executorAvailability() async -> [String: ExecutorAvailability] {
        Dictionary(uniqueKeysWithValues: await availabilities().map { ($0.key.rawValue, $0.value) })
    }

    private func availabilities() async -> [ExecutorKind: ExecutorAvailability] {
        var states: [ExecutorKind: ExecutorAvailability] = [:]
        for (kind, executor) in executors { states[kind] = await executor.availability() }
        return states
    }

    func bid(_ request: BidRequest) async -> BidReply {
        var current = settings
        current.location = location
        current.terms = terms
        let answer = BidDecision.decide(
            request, peer: peerID, onboarded: await resources.isOnboarded, free: await resources.freeResources,
            executors: await offeredExecutors(), settings: current, reservedPorts: Set(ports.values.joined()))
        var reply = BidReply(
            ensembleID: request.ensembleID, peer: peerID, handle: HandleReference(root.handle), offer: nil,
            decline: nil, signature: [])
        switch answer {
        case .offer(let terms): reply.offer = terms
        case .decline(let reason): reply.decline = reason
        }
        reply.sign(with: nodeKey)
        return reply
    }

    /// Commits every allocation of the node and reserves its ports, or nothing at all.
    func commit(_ request: CommitRequest) async -> CommitReply {
        let key = "\(request.ensembleID)/\(request.nodeID)"
        var committed: [String] = []
        let expiry = Date().timeIntervalSince1970 + request.ttl
        do {
            for (id, demand) in request.allocations.sorted(by: { $0.key < $1.key }) {
                if await resources.snapshot.commitmentIDs.contains(id) { continue }
                try await resources.commit(id, demand: demand, expiresAt: expiry)
                committed.append(id)
            }
            let held = try reservePorts(request.staticPorts, dynamic: request.dynamicPorts, except: key)
            ports[key] = held
            return CommitReply(ok: true, error: nil, ports: held)
        } catch {
            for id in committed { try? await resources.uncommit(id) }
            return CommitReply(ok: false, error: "\(error)", ports: [])
        }
    }

    private func reservePorts(_ wanted: [Int], dynamic: Int, except key: String) throws -> [Int] {
        let taken = Set(ports.filter { $0.key != key }.values.joined())
        for port in wanted where !settings.portRange.contains(port) || taken.contains(port) {
            throw ProviderError.port(
                port, settings.portRange.contains(port) ? "already reserved" : "outside \(settings.portRange)")
        }
        var held = wanted
        var candidate = settings.portRange.lowerBound
        while held.count < wanted.count + dynamic {
            guard candidate <= settings.portRange.upperBound else {
                throw ProviderError.port(0, "no \(dynamic) free ports left in \(settings.portRange)")
            }
            if !taken.contains(candidate) && !held.contains(candidate) { held.append(candidate) }
            candidate += 1
        }
        return held
    }

    /// Creates the node's allocation actors from their commitments.
    func allocate(_ request: AllocateRequest) async -> AllocateReply {
        var created: [AllocationRunner] = []
        for spec in request.allocations where runners[spec.id] == nil {
            guard executors[spec.execution.kind] != nil else {
                for runner in created { await forget(runner) }
                return AllocateReply(
                    ok: false, error: "executor \(spec.execution.kind.rawValue) not available", handles: [:])
            }
            do {
                let record = AllocationRecord(spec: spec, state: .pending, run: 0, result: nil, reason: nil)
                let runner = try makeRunner(record)
                persist(record)
                runners[spec.id] = runner
                created.append(runner)
            } catch {
                for runner in created { await forget(runner) }
                return AllocateReply(ok: false, error: "allocation \(spec.name): \(error)", handles: [:])
            }
        }
        var references: [String: HandleReference] = [:]
        for spec in request.allocations {
            if let runner = runners[spec.id] { references[spec.id] = HandleReference(runner.actor.handle) }
        }
        return AllocateReply(ok: true, error: nil, handles: references)
    }

    private func makeRunner(_ record: AllocationRecord) throws -> AllocationRunner {
        guard let executor = executors[record.spec.execution.kind] else {
            throw ProviderError.executor(record.spec.execution.kind.rawValue)
        }
        let child = root.createChild(
            inbox: record.spec.id, key: ActorKeys.derive(from: nodeKey, label: "allocation:\(record.spec.id)"))
        let repository = self.repository
        let logger = self.logger
        let runner = AllocationRunner(
            record: record, actor: child, executor: executor, resources: resources, settings: settings,
            logger: logger
        ) { record in Self.save(record, to: repository, logger: logger) }
        Task { await runner.registerBehaviors() }
        try child.start()
        return runner
    }

    private func persist(_ record: AllocationRecord) { Self.save(record, to: repository, logger: logger) }

    private static func save(_ record: AllocationRecord, to repository: ProviderAllocationRepository, logger: Logger) {
        do {
            let json = String(decoding: try Payload.encode(record), as: UTF8.self)
            try repository.save(
                StoredAllocation(
                    id: record.spec.id, ensembleID: record.spec.ensembleID, status: record.state.rawValue, record: json)
            )
        } catch {
            logger.error("allocation \(record.spec.id) not saved: \(error)")
        }
    }

    /// Stops and forgets the named allocations, and drops commitments and ports of the ensemble.
    func revert(_ request: RevertRequest) async {
        for id in request.allocationIDs {
            if let runner = runners[id] {
                await forget(runner)
            } else if await resources.snapshot.commitmentIDs.contains(id) {
                try? await resources.uncommit(id)
            }
        }
        for key in ports.keys where key.hasPrefix("\(request.ensembleID)/") { ports[key] = nil }
    }

    private func forget(_ runner: AllocationRunner) async {
        await runner.release()
        runners[runner.spec.id] = nil
        try? repository.delete(runner.spec.id)
    }

    /// The allocations this node hosts now.
    public func allocations() async -> [ProviderAllocationInfo] {
        var list: [ProviderAllocationInfo] = []
        for (id, runner) in runners.sorted(by: { $0.key < $1.key }) {
            let status = await runner.status
            list.append(
                ProviderAllocationInfo(
                    id: id, ensembleID: runner.spec.ensembleID, executor: runner.spec.execution.kind.rawValue,
                    executionID: status.run > 0 ? "\(id)-\(status.run)" : "", resources: runner.spec.resources,
                    status: status.state.rawValue, orchestrator: runner.spec.orchestrator.host, reason: status.reason,
                    usage: status.usage))
        }
        return list
    }

    /// Daemon shutdown: running executions end (their orchestrators see them stop).
    public func stop() async {
        for runner in runners.values { await runner.stop(reason: "the provider daemon stopped") }
        for executor in executors.values { await executor.cleanup() }
    }
}

enum ProviderError: Error, CustomStringConvertible {
    case port(Int, String)
    case executor(String)

    var description: String {
        switch self {
        case .port(let port, let reason): port == 0 ? "ports: \(reason)" : "port \(port): \(reason)"
        case .executor(let name): "executor \(name) not available"
        }
    }
}
