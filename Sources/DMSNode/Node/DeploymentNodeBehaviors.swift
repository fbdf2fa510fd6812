import DMSActor
import DMSCore
import DMSEnsemble
import DMSMessages
import DMSOrchestrator
import DMSStore
import Foundation

/// The node's deployment behaviors (`/dms/node/deployment/*`) and its provider's allocation list.
/// Refusals come back in the reply (`OK: false` with `Error`), never as silence.
enum DeploymentNodeBehaviors {
    /// Deployments get five minutes to reach Running unless the request says otherwise.
    static let defaultTimeout: Double = 300

    static func register(on node: Node, deployments: NodeDeployments) {
        let actor = node.actor
        let registry = deployments.registry
        actor.addBehavior(Behaviors.deploymentNew) { message in
            let request = try message.decode(DeploymentNewRequest.self)
            do {
                let id = try await registry.create(
                    request.ensemble, timeout: request.timeout ?? defaultTimeout, queue: request.queue ?? false,
                    maxCost: request.maxCost)
                return try Payload.encode(DeploymentNewResponse(ok: true, status: "OK", ensembleID: id, error: ""))
            } catch {
                return try Payload.encode(
                    DeploymentNewResponse(ok: false, status: "ERROR", ensembleID: "", error: "\(error)"))
            }
        }
        actor.addBehavior(Behaviors.deploymentStatus) { message in
            let id = try message.decode(DeploymentIDRequest.self).id
            do {
                let record = try await registry.record(id)
                return try Payload.encode(
                    DeploymentStatusResponse(
                        ok: true, id: id, status: record.status.name, reason: record.reason,
                        events: record.events.map {
                            DeploymentEventPayload(at: $0.at, status: $0.status, reason: $0.reason)
                        },
                        allocations: record.manifest.allocations, nodes: record.manifest.nodes, error: ""))
            } catch {
                return try Payload.encode(
                    DeploymentStatusResponse(
                        ok: false, id: id, status: "", reason: "", events: [], allocations: [:], error: "\(error)"))
            }
        }
        actor.addBehavior(Behaviors.deploymentManifest) { message in
            let id = try message.decode(DeploymentIDRequest.self).id
            do {
                let record = try await registry.record(id)
                return try Payload.encode(DeploymentManifestResponse(ok: true, manifest: record.manifest, error: ""))
            } catch {
                return try Payload.encode(DeploymentManifestResponse(ok: false, manifest: nil, error: "\(error)"))
            }
        }
        actor.addBehavior(Behaviors.deploymentList) { message in
            let request =
                (message.envelope.message?.isEmpty ?? true)
                ? DeploymentListRequest() : try message.decode(DeploymentListRequest.self)
            do {
                let query = try query(request)
                let page = try await registry.list(query)
                let summaries = page.deployments.map {
                    DeploymentSummary(
                        orchestratorID: $0.id, status: $0.status, createdAt: $0.createdAt, updatedAt: $0.updatedAt,
                        completedAt: $0.completedAt, metadata: $0.metadata)
                }
                let next = query.offset + summaries.count
                return try Payload.encode(
                    DeploymentListResponse(
                        ok: true, deployments: summaries, total: page.total, hasMore: next < page.total,
                        nextOffset: next, error: ""))
            } catch {
                return try Payload.encode(
                    DeploymentListResponse(
                        ok: false, deployments: [], total: 0, hasMore: false, nextOffset: 0, error: "\(error)"))
            }
        }
        actor.addBehavior(Behaviors.deploymentLogs) { message in
            let request = try message.decode(DeploymentLogsRequest.self)
            do {
                let (logs, directory) = try await registry.logs(
                    request.ensembleID, allocation: request.allocationName,
                    from: AllocationLogsRequest(
                        stdoutOffset: request.stdoutOffset ?? 0, stderrOffset: request.stderrOffset ?? 0))
                return try Payload.encode(
                    DeploymentLogsResponse(
                        ok: true, logsWrittenTo: directory.path, stdout: logs.stdout, stderr: logs.stderr,
                        stdoutOffset: logs.stdoutOffset, stderrOffset: logs.stderrOffset, running: logs.running,
                        error: ""))
            } catch {
                return try Payload.encode(
                    DeploymentLogsResponse(
                        ok: false, logsWrittenTo: "", stdout: "", stderr: "", stdoutOffset: 0, stderrOffset: 0,
                        running: false, error: "\(error)"))
            }
        }
        actor.addBehavior(Behaviors.deploymentShutdown) { message in
            let id = try message.decode(DeploymentIDRequest.self).id
            return try Payload.encode(await outcome { () throws(OrchestratorError) in try await registry.shutdown(id) })
        }
        actor.addBehavior(Behaviors.deploymentDelete) { message in
            let id = try message.decode(DeploymentDeleteRequest.self).orchestratorID
            return try Payload.encode(await outcome { () throws(OrchestratorError) in try await registry.delete(id) })
        }
        actor.addBehavior(Behaviors.deploymentPrune) { message in
            let request = try message.decode(DeploymentPruneRequest.self)
            do {
                let before = try pruneCutoff(request)
                let pruned = try await registry.prune(before: before)
                return try Payload.encode(DeploymentPruneResponse(ok: true, pruned: pruned, error: ""))
            } catch {
                return try Payload.encode(DeploymentPruneResponse(ok: false, pruned: [], error: "\(error)"))
            }
        }
        actor.addBehavior(Behaviors.allocationsList) { _ in
            guard let provider = deployments.provider else {
                return try Payload.encode(
                    AllocationsListResponse(ok: false, allocations: [], error: "this node does not provide resources"))
            }
            return try Payload.encode(
                AllocationsListResponse(ok: true, allocations: await provider.allocations(), error: ""))
        }
    }

    private static func outcome(_ body: () async throws(OrchestratorError) -> Void) async -> DeploymentOKResponse {
        do {
            try await body()
            return DeploymentOKResponse(ok: true, error: "")
        } catch {
            return DeploymentOKResponse(ok: false, error: "\(error)")
        }
    }

    /// The store query a list request asks for; unknown statuses and sort keys are refused by name.
    static func query(_ request: DeploymentListRequest) throws(OrchestratorError) -> DeploymentQuery {
        var query = DeploymentQuery()
        if let limit = request.limit {
            guard limit > 0 else { throw .invalid("Limit: \(limit) must be positive") }
            query.limit = limit
        }
        if let offset = request.offset {
            guard offset >= 0 else { throw .invalid("Offset: \(offset) must not be negative") }
            query.offset = offset
        }
        for name in request.status ?? [] {
            guard let status = DeploymentStatus(name: name) else {
                throw .invalid(
                    "Status: \"\(name)\" is not a deployment status (\(DeploymentStatus.allCases.map(\.name).joined(separator: ", ")))"
                )
            }
            query.statuses.append(status.name)
        }
        if let sort = request.sort, !sort.isEmpty {
            let descending = sort.hasPrefix("-")
            let field = descending ? String(sort.dropFirst()) : sort
            guard let key = DeploymentQuery.SortKey(rawValue: field) else {
                throw .invalid(
                    "Sort: \"\(sort)\" is not a sort key (\(DeploymentQuery.SortKey.allCases.map(\.rawValue).joined(separator: ", ")), - for descending)"
                )
            }
            query.sort = key
            query.descending = descending
        }
        query.metadata = request.filter ?? [:]
        return query
    }

    /// `All` prunes every finished deployment; `Before` those created before a time (RFC 3339) or a
    /// duration ago (`7d`, `2h`, `30m`).
    static func pruneCutoff(_ request: DeploymentPruneRequest, now: Date = Date()) throws(OrchestratorError) -> Double?
    {
        if request.all == true { return nil }
        guard let text = request.before, !text.isEmpty else {
            throw .invalid("prune needs All or Before (an RFC 3339 time, or a duration such as 7d, 2h, 30m)")
        }
        if let duration = try? TimeSpec.duration(text) { return now.timeIntervalSince1970 - Double(duration) / 1e9 }
        if let instant = try? TimeSpec.instant(text) { return Double(instant) / 1e9 }
        throw .invalid("Before: \"\(text)\" is neither an RFC 3339 time nor a duration such as 7d, 2h or 30m")
    }
}
