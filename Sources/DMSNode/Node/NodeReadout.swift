import DMSCore
import DMSMessages
import DMSOrchestrator
import DMSStore
import Foundation

/// What an operator looks at, read straight from the node's parts for the dashboard and the REST read
/// routes: no actor message is sent, so these answer while the node's mailbox is busy, and they change
/// nothing. Keys are snake_case, the REST API's own convention (the actor payloads keep the Go DMS's keys).
public struct NodeOverview: Sendable, Encodable {
    public struct Peer: Sendable, Encodable {
        public let id: String
        public let addresses: [String]
        public let agent: String
    }

    /// The resource ledger; nil `onboarded` when the machine offers nothing.
    public struct Ledger: Sendable, Encodable {
        public let onboarded: Resources?
        public let committed: Resources
        public let allocated: Resources
        public let free: Resources
    }

    public let did: String
    public let peerID: String
    public let version: String
    public let commit: String
    /// Unix seconds.
    public let startedAt: Double
    public let listenAddresses: [String]
    public let peers: [Peer]
    /// Nil on a node without resources.
    public let resources: Ledger?

    enum CodingKeys: String, CodingKey {
        case did, version, commit, peers, resources
        case peerID = "peer_id"
        case startedAt = "started_at"
        case listenAddresses = "listen_addresses"
    }
}

/// The node's figures at one instant: what the dashboard charts over the last hour.
public struct NodeFigures: Sendable, Encodable, Equatable {
    /// Unix seconds.
    public var at: Double
    public var cpuAllocatedCores: Double = 0
    public var cpuFreeCores: Double = 0
    public var ramAllocatedBytes: UInt64 = 0
    public var ramFreeBytes: UInt64 = 0
    /// Messages the root actor has handled since start (a counter; the chart shows its rate).
    public var messagesHandled: Int = 0
    public var peersConnected: Int = 0
    /// Nil when the node takes no part in deployments or its store could not say.
    public var deploymentsRunning: Int?

    public init(at: Double) { self.at = at }

    enum CodingKeys: String, CodingKey {
        case at
        case cpuAllocatedCores = "cpu_allocated_cores"
        case cpuFreeCores = "cpu_free_cores"
        case ramAllocatedBytes = "ram_allocated_bytes"
        case ramFreeBytes = "ram_free_bytes"
        case messagesHandled = "messages_handled"
        case peersConnected = "peers_connected"
        case deploymentsRunning = "deployments_running"
    }
}

/// One deployment in a listing.
public struct DeploymentBrief: Sendable, Encodable {
    public let id: String
    public let status: String
    public let createdAt: Double
    public let updatedAt: Double
    public let completedAt: Double?
    public let metadata: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, status, metadata
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case completedAt = "completed_at"
    }
}

/// A page of deployments, newest first, and how many match in all.
public struct DeploymentListing: Sendable, Encodable {
    public let deployments: [DeploymentBrief]
    public let total: Int
}

/// One deployment with its state history and its allocations as the orchestrator last saw them.
public struct DeploymentDetail: Sendable, Encodable {
    public struct Event: Sendable, Encodable {
        public let at: Double
        public let status: String
        public let reason: String
    }

    public struct Allocation: Sendable, Encodable {
        public let name: String
        public let id: String
        public let node: String
        public let type: String
        public let status: String
        public let exitCode: Int32?
        public let error: String?
        public let restarts: Int
        public let progress: String?

        enum CodingKeys: String, CodingKey {
            case name, id, node, type, status, error, restarts, progress
            case exitCode = "exit_code"
        }
    }

    public let id: String
    public let status: String
    public let reason: String
    public let createdAt: Double
    public let updatedAt: Double
    public let completedAt: Double?
    public let events: [Event]
    public let allocations: [Allocation]

    enum CodingKeys: String, CodingKey {
        case id, status, reason, events, allocations
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case completedAt = "completed_at"
    }
}

/// An allocation this node runs as a provider.
public struct HostedAllocation: Sendable, Encodable {
    public let id: String
    public let deploymentID: String
    public let executor: String
    public let status: String
    public let reason: String
    public let orchestrator: String
    public let resources: Resources

    enum CodingKeys: String, CodingKey {
        case id, executor, status, reason, orchestrator, resources
        case deploymentID = "deployment_id"
    }
}

/// Output of one allocation from the given offsets on, and where to continue from.
public struct LogChunk: Sendable, Encodable {
    public let stdout: String
    public let stderr: String
    public let stdoutOffset: UInt64
    public let stderrOffset: UInt64
    /// False once the allocation has ended: nothing more will be written.
    public let running: Bool

    enum CodingKeys: String, CodingKey {
        case stdout, stderr, running
        case stdoutOffset = "stdout_offset"
        case stderrOffset = "stderr_offset"
    }
}

/// Why a read could not answer: the REST API maps `kind` to its status code.
public struct NodeReadError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case notFound, invalid, unavailable }
    public let kind: Kind
    public let description: String
}

extension Node {
    /// The deployment statuses a listing can filter on, by name.
    public static var deploymentStatusNames: [String] { DeploymentStatus.allCases.map(\.name) }

    /// Identity, version, peers and the resource ledger.
    public func overview() async -> NodeOverview {
        var peers: [NodeOverview.Peer] = []
        if let p2p = peerToPeer {
            peers = p2p.host.connectedPeers.sorted { $0.description < $1.description }.map { peer in
                let record = p2p.host.peerStore.record(peer)
                return NodeOverview.Peer(
                    id: peer.description, addresses: record?.addresses.map(\.description) ?? [],
                    agent: record?.agentVersion ?? "")
            }
        }
        var ledger: NodeOverview.Ledger?
        if let resources {
            let snapshot = await resources.manager.snapshot
            ledger = NodeOverview.Ledger(
                onboarded: snapshot.onboarded, committed: snapshot.committed, allocated: snapshot.allocated,
                free: snapshot.free)
        }
        return NodeOverview(
            did: identity.did.uri, peerID: identity.peerID.description, version: BuildInfo.version,
            commit: BuildInfo.gitCommit, startedAt: started.timeIntervalSince1970, listenAddresses: listenAddresses,
            peers: peers, resources: ledger)
    }

    /// The figures the dashboard samples every few seconds.
    public func figures(at now: Date = Date()) async -> NodeFigures {
        var figures = NodeFigures(at: now.timeIntervalSince1970)
        if let resources {
            let snapshot = await resources.manager.snapshot
            figures.cpuAllocatedCores = snapshot.allocated.cpu.cores
            figures.cpuFreeCores = snapshot.free.cpu.cores
            figures.ramAllocatedBytes = snapshot.allocated.ram
            figures.ramFreeBytes = snapshot.free.ram
        }
        figures.messagesHandled = actor.statistics.snapshot.handled
        figures.peersConnected = peerToPeer?.host.connectedPeers.count ?? 0
        if let registry = deployments?.registry {
            var query = DeploymentQuery()
            query.statuses = [DeploymentStatus.running.name]
            query.limit = 1
            figures.deploymentsRunning = try? await registry.list(query).total
        }
        return figures
    }

    /// Deployments this node orchestrates, newest first; `statuses` are names from
    /// `deploymentStatusNames` (any case), empty for all.
    public func deploymentListing(limit: Int, offset: Int, statuses: [String]) async throws(NodeReadError)
        -> DeploymentListing
    {
        var query = DeploymentQuery()
        query.limit = limit
        query.offset = offset
        for name in statuses {
            guard let status = DeploymentStatus(name: name) else {
                throw NodeReadError(
                    kind: .invalid,
                    description:
                        "status: \"\(name)\" is not a deployment status (\(Self.deploymentStatusNames.joined(separator: ", ")))"
                )
            }
            query.statuses.append(status.name)
        }
        let registry = try registry()
        do {
            let page = try await registry.list(query)
            return DeploymentListing(
                deployments: page.deployments.map {
                    DeploymentBrief(
                        id: $0.id, status: $0.status, createdAt: $0.createdAt, updatedAt: $0.updatedAt,
                        completedAt: $0.completedAt, metadata: $0.metadata)
                }, total: page.total)
        } catch {
            throw Self.readError(error)
        }
    }

    /// One deployment with its state history and allocations.
    public func deploymentDetail(_ id: String) async throws(NodeReadError) -> DeploymentDetail {
        let registry = try registry()
        let record: DeploymentRecord
        do {
            record = try await registry.record(id)
        } catch {
            throw Self.readError(error)
        }
        return DeploymentDetail(
            id: record.id, status: record.status.name, reason: record.reason, createdAt: record.createdAt,
            updatedAt: record.updatedAt, completedAt: record.completedAt,
            events: record.events.map { DeploymentDetail.Event(at: $0.at, status: $0.status, reason: $0.reason) },
            allocations: record.ensemble.allocations.keys.sorted().map { name in
                let entry = record.manifest.allocations[name]
                return DeploymentDetail.Allocation(
                    name: name, id: entry?.id ?? "", node: entry?.nodeID ?? "", type: entry?.type ?? "",
                    status: entry?.status ?? "", exitCode: entry?.exitCode, error: entry?.error,
                    restarts: entry?.restarts ?? 0, progress: entry?.progress)
            })
    }

    /// Output of allocation `name` of deployment `id` from the given offsets on.
    public func deploymentLogs(_ id: String, allocation name: String, stdoutOffset: UInt64, stderrOffset: UInt64)
        async throws(NodeReadError) -> LogChunk
    {
        let registry = try registry()
        do {
            let (reply, _) = try await registry.logs(
                id, allocation: name,
                from: AllocationLogsRequest(stdoutOffset: stdoutOffset, stderrOffset: stderrOffset))
            return LogChunk(
                stdout: reply.stdout, stderr: reply.stderr, stdoutOffset: reply.stdoutOffset,
                stderrOffset: reply.stderrOffset, running: reply.running)
        } catch {
            throw Self.readError(error)
        }
    }

    /// The allocations this node runs for orchestrators (empty when it provides nothing).
    public func hostedAllocations() async -> [HostedAllocation] {
        guard let provider = deployments?.provider else { return [] }
        return await provider.allocations().map {
            HostedAllocation(
                id: $0.id, deploymentID: $0.ensembleID, executor: $0.executor, status: $0.status,
                reason: $0.reason ?? "",
                orchestrator: $0.orchestrator, resources: $0.resources)
        }
    }

    private func registry() throws(NodeReadError) -> DeploymentRegistry {
        guard let registry = deployments?.registry else {
            throw NodeReadError(kind: .unavailable, description: "this node takes no part in deployments")
        }
        return registry
    }

    private static func readError(_ error: OrchestratorError) -> NodeReadError {
        switch error {
        case .notFound, .unknownAllocation: NodeReadError(kind: .notFound, description: error.description)
        case .invalid: NodeReadError(kind: .invalid, description: error.description)
        case .notLive, .store: NodeReadError(kind: .unavailable, description: error.description)
        }
    }
}
