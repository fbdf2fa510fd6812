import DMSActor
import DMSCore
import DMSCrypto
import DMSEnsemble
import DMSExecutor
import DMSMatching
import DMSMessages
import Foundation
import Synchronization

/// A verified offer with the provider's actor, as the orchestrator collected it.
struct CollectedOffer: Sendable {
    var offer: Offer
    var handle: HandleReference
}

/// What arrives on a bid request's reply behavior: a signed bid, or a pinned provider's refusal.
enum BidAnswer: Sendable {
    case reply(BidReply)
    case refused(peer: String, reason: String)
}

extension Orchestrator {
    /// Sends the bid request (one broadcast for unpinned nodes, one message per pinned peer) and collects
    /// signed replies until every node can be placed or the bid window closes.
    func collectBids(_ demands: [NodeDemand]) async -> ([CollectedOffer], [String: String]) {
        let request = BidRequest(
            ensembleID: id,
            nodes: demands.map {
                BidRequest.NodeRequest(
                    nodeID: $0.name, resources: $0.resources,
                    executors: $0.executors.sorted { $0.rawValue < $1.rawValue },
                    staticPorts: $0.staticPorts, dynamicPorts: $0.dynamicPorts,
                    privileged: needsPrivilege(node: $0.name) ? true : nil)
            }, excludedPeers: excludedPeers.union(record.lostPeers).sorted())
        guard let payload = try? Payload.encode(request) else { return ([], [:]) }
        let window = settings.bidWindow
        let expiry =
            actor.clock() + UInt64(window.components.seconds) * 1_000_000_000
            + UInt64(window.components.attoseconds / 1_000_000_000)
        let continuation = "\(Behaviors.bidReplyPrefix)/\(id)/\(UUID().uuidString)"
        let (replies, sink) = AsyncStream<BidAnswer>.makeStream()
        let pinned = Set(demands.compactMap(\.pinnedPeer))
        actor.addBehavior(continuation, options: BehaviorOptions(authorization: .signatureOnly, expiry: expiry)) {
            message in
            let sender = message.envelope.from.address.host
            if let reply = try? message.decode(BidReply.self), reply.peer == sender {
                sink.yield(.reply(reply))
            } else if pinned.contains(sender), let error = ErrorReply.error(in: message.envelope.message) {
                // A pinned provider that refuses the request (not authorised, say) is a decline with its reason.
                sink.yield(.refused(peer: sender, reason: "refused the bid request: \(error)"))
            }
            return nil
        }
        defer { actor.removeBehavior(continuation) }
        if demands.contains(where: { $0.pinnedPeer == nil }) {
            var broadcast = Envelope(
                to: .empty, behavior: Behaviors.bidRequest.name, from: actor.handle,
                options: EnvelopeOptions(expiry: expiry, replyTo: continuation, topic: Topics.deployment),
                message: payload)
            broadcast.nonce = 0
            do { try await actor.publish(broadcast) } catch { logger.warning("bid request not broadcast: \(error)") }
        }
        for peer in pinned.sorted() {
            guard let target = try? ActorHandle.root(peerID: PeerID(peer)) else { continue }
            let direct = Envelope(
                to: target, behavior: Behaviors.bidRequest.name, from: actor.handle,
                options: EnvelopeOptions(expiry: expiry, replyTo: continuation), message: payload)
            do { try await actor.send(direct) } catch { logger.warning("bid request to \(peer) not sent: \(error)") }
        }
        let timer = Task {
            try? await Task.sleep(for: window)
            sink.finish()
        }
        defer { timer.cancel() }
        var offers: [String: CollectedOffer] = [:]
        var declines: [String: String] = [:]
        for await answer in replies {
            guard case .reply(let reply) = answer else {
                if case .refused(let peer, let reason) = answer, offers[peer] == nil { declines[peer] = reason }
                continue
            }
            guard reply.ensembleID == id, reply.hasValidSignature, offers[reply.peer] == nil else { continue }
            if let terms = reply.offer, let problem = Self.problem(in: terms.capability) {
                declines[reply.peer] = "offer refused: \(problem)"
            } else if let terms = reply.offer {
                offers[reply.peer] = CollectedOffer(
                    offer: Offer(
                        peer: reply.peer, capability: terms.capability, location: terms.location,
                        portRange: terms.portRangeFrom...max(terms.portRangeFrom, terms.portRangeTo),
                        reservedPorts: Set(terms.reservedPorts)),
                    handle: reply.handle)
                declines[reply.peer] = nil
            } else {
                declines[reply.peer] = reply.decline ?? "declined"
            }
            let candidates = offers.values.filter { !record.lostPeers.contains($0.offer.peer) }
            let placement = Matching.place(
                demands, offers: candidates.map(\.offer), excludedPeers: excludedPeers, declines: declines)
            // Only a placement that costs nothing cannot be beaten by an offer still on its way.
            if placement.isComplete && placement.estimates.values.allSatisfy(\.isFree) { break }
        }
        // Providers this deployment already lost are not used again, whatever they offer now.
        for peer in record.lostPeers where offers[peer] != nil || declines[peer] != nil {
            offers[peer] = nil
            declines[peer] = "lost earlier in this deployment"
        }
        return (offers.values.sorted { $0.offer.peer < $1.offer.peer }, declines)
    }

    /// Whether a container of the node asks to run privileged (providers must allow it).
    func needsPrivilege(node: String) -> Bool {
        (ensemble.nodes[node]?.allocations ?? []).contains { name in
            guard case .docker(let docker)? = ensemble.allocations[name]?.execution else { return false }
            return docker.privileged
        }
    }

    /// Invokes `behavior` of the actor at `target` and decodes its reply as the catalogue types it.
    func call<Request: Encodable, Reply: Decodable>(
        _ target: HandleReference, _ behavior: BehaviorSpec<Request, Reply>, _ request: Request,
        timeout: Double? = nil
    ) async throws -> Reply {
        let envelope = actor.message(
            to: try target.handle(), behavior: behavior.name, payload: try Payload.encode(request),
            timeout: timeout ?? settings.invokeTimeout)
        let reply = try await actor.invoke(envelope)
        return try JSONDecoder().decode(Reply.self, from: Data(reply.message ?? []))
    }

    /// What makes a signed offer unusable: a price in an unknown currency, negative or not finite, or time
    /// in unknown units. Matching trusts the numbers it gets, so such offers never reach it.
    static func problem(in offer: ComputeCapability) -> String? {
        offer.termProblems().first
    }

    /// Commits every node on its provider; the first failure is returned (the caller reverts).
    func commitAll(
        _ assignment: [String: String], handles: [String: HandleReference], estimates: [String: CostEstimate]
    ) async -> String? {
        for (node, peer) in assignment.sorted(by: { $0.key < $1.key }) {
            guard let handle = handles[peer], let spec = ensemble.nodes[node] else {
                return "node \(node): no provider"
            }
            record.manifest.nodes[node] = DeploymentManifest.NodeEntry(
                id: node, peer: peer, handle: handle, allocations: spec.allocations, ports: [:],
                estimate: estimates[node])
        }
        persist()
        let requests = record.manifest.nodes.values.filter { assignment[$0.id] != nil }.map {
            entry -> (String, HandleReference, CommitRequest) in
            let spec = ensemble.nodes[entry.id]!
            let allocations = Dictionary(
                uniqueKeysWithValues: spec.allocations.map {
                    (allocationID($0), ensemble.allocations[$0]!.resources)
                })
            return (
                entry.id, entry.handle,
                CommitRequest(
                    ensembleID: id, nodeID: entry.id, allocations: allocations,
                    staticPorts: spec.ports.map(\.publicPort).filter { $0 > 0 },
                    dynamicPorts: spec.ports.filter { $0.publicPort == 0 }.count, ttl: settings.commitTTL)
            )
        }
        let results = await withTaskGroup(of: (String, Result<CommitReply, any Error>).self) { group in
            for (node, handle, request) in requests {
                group.addTask {
                    do {
                        return (
                            node,
                            .success(
                                try await self.call(handle, Behaviors.commit, request))
                        )
                    } catch {
                        return (node, .failure(error))
                    }
                }
            }
            var results: [String: Result<CommitReply, any Error>] = [:]
            for await (node, result) in group { results[node] = result }
            return results
        }
        var failure: String?
        for (node, result) in results.sorted(by: { $0.key < $1.key }) {
            let peer = record.manifest.nodes[node]?.peer ?? "?"
            switch result {
            case .success(let reply) where reply.ok:
                let spec = ensemble.nodes[node]!
                // The provider holds the static ports first, then the dynamic ones, in the order asked.
                let mappings = spec.ports.filter { $0.publicPort > 0 } + spec.ports.filter { $0.publicPort == 0 }
                var bindings: [String: [PortBinding]] = [:]
                for (held, mapping) in zip(reply.ports, mappings) {
                    bindings[mapping.allocation, default: []].append(
                        PortBinding(hostPort: held, containerPort: mapping.privatePort))
                }
                record.manifest.nodes[node]?.ports = bindings.values.joined().hostToContainer
                record.manifest.nodes[node]?.bindings = bindings
            case .success(let reply):
                failure = failure ?? "node \(node): peer \(peer) refused the commit: \(reply.error ?? "no reason")"
            case .failure(let error):
                failure = failure ?? "node \(node): commit on peer \(peer) failed: \(error)"
            }
        }
        persist()
        return failure
    }

    func allocationID(_ name: String) -> String {
        DeploymentManifest.allocationID(ensemble: id, node: ensemble.node(of: name) ?? name, allocation: name)
    }

    /// Creates the allocation actors on the providers of `nodes` (all nodes when nil) and records their
    /// handles.
    func allocateAll(_ nodes: Set<String>? = nil) async -> String? {
        let orchestrator = HandleReference(actor.handle)
        for (node, entry) in record.manifest.nodes.sorted(by: { $0.key < $1.key }) where nodes?.contains(node) ?? true {
            let specs = entry.allocations.map { name -> AllocationSpec in
                let allocation = ensemble.allocations[name]!
                return AllocationSpec(
                    id: allocationID(name), name: name, ensembleID: id, nodeID: node, type: allocation.type,
                    resources: allocation.resources, execution: allocation.execution,
                    healthcheck: allocation.healthcheck, volumes: allocation.volumes, orchestrator: orchestrator,
                    ports: entry.bindings?[name] ?? [], price: entry.estimate?.price)
            }
            do {
                let reply = try await call(
                    entry.handle, Behaviors.allocate,
                    AllocateRequest(ensembleID: id, nodeID: node, allocations: specs))
                guard reply.ok else {
                    return "node \(node): peer \(entry.peer) refused to allocate: \(reply.error ?? "no reason")"
                }
                for spec in specs {
                    guard let handle = reply.handles[spec.id] else {
                        return "node \(node): peer \(entry.peer) returned no actor for \(spec.name)"
                    }
                    record.manifest.allocations[spec.name] = DeploymentManifest.AllocationEntry(
                        id: spec.id, nodeID: node, type: spec.type.rawValue, handle: handle,
                        dnsName: ensemble.allocations[spec.name]!.dnsName + ".internal", status: "pending",
                        exitCode: nil,
                        error: nil, restarts: record.manifest.allocations[spec.name]?.restarts ?? 0,
                        ports: spec.ports?.hostToContainer)
                }
            } catch {
                return "node \(node): allocate on peer \(entry.peer) failed: \(error)"
            }
        }
        persist()
        return nil
    }

    /// Tells every provider of the manifest to forget this deployment's allocations (best effort).
    func revertAll(clearing: Bool) async {
        for entry in record.manifest.nodes.values {
            let ids = entry.allocations.map(allocationID)
            _ = try? await call(
                entry.handle, Behaviors.revert, RevertRequest(ensembleID: id, allocationIDs: ids),
                timeout: 5)
        }
        if clearing {
            record.manifest.nodes = [:]
            record.manifest.allocations = [:]
            persist()
        }
    }
}

extension Orchestrator {
    /// Places one node again after its provider vanished (`failure_recovery: redeploy`): new bids
    /// without the lost peers, commit and allocate on the new provider. Returns why it failed, if it did.
    func replaceNode(_ node: String) async -> String? {
        if let running = replacements[node] { return await running.value }
        let task = Task { await self.placeAgain(node) }
        replacements[node] = task
        let result = await task.value
        replacements[node] = nil
        return result
    }

    private func placeAgain(_ node: String) async -> String? {
        let demands = nodeDemands().filter { $0.name == node }
        let (offers, declines) = await collectBids(demands)
        let placement = Matching.place(
            demands, offers: offers.map(\.offer), excludedPeers: excludedPeers, declines: declines,
            now: Int64(Date().timeIntervalSince1970))
        guard placement.isComplete else { return placement.explanation }
        let handles = Dictionary(offers.map { ($0.offer.peer, $0.handle) }, uniquingKeysWith: { first, _ in first })
        if let failure = await commitAll(placement.assignment, handles: handles, estimates: placement.estimates) {
            return failure
        }
        if let failure = await allocateAll([node]) { return failure }
        logger.info(
            "node redeployed",
            metadata: ["deployment": "\(id)", "node": "\(node)", "peer": "\(placement.assignment[node] ?? "")"])
        return nil
    }
}
