import DMSActor
import DMSCore
import DMSExecutorWasm
import DMSMessages
import DMSResources
import Foundation
import Prometheus

/// The node's metrics, served at `GET /metrics`. Traffic is counted as it happens through swift-metrics into a
/// Prometheus registry the node owns (not the process-wide `MetricsSystem`, so nodes and tests stay apart);
/// state (deployments by status, allocations, resources, libp2p, the process) is read at scrape time, so it is
/// never stale and costs nothing between scrapes. Labels come from fixed sets only: behavior names from the
/// catalogue, refusal codes, statuses, executor kinds, protocols.
public final class NodeMetrics: Sendable {
    /// The content type of the text exposition format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public let registry: PrometheusCollectorRegistry
    /// What the node's actors report to (shared by every actor of the node, children included).
    public let actor: ActorMetrics

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[ActorMetrics.handlerDuration] = [
            .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(10),
            .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30),
        ]
        actor = ActorMetrics(factory: factory, label: Behaviors.metricLabel(for:))
    }

    /// The whole exposition: the registry's families, then those read from `node` now.
    public func exposition(of node: Node) async -> [UInt8] {
        var bytes = registry.emitToBuffer()
        var text = ExpositionText()
        await appendState(of: node, to: &text)
        bytes += text.bytes
        return bytes
    }

    private func appendState(of node: Node, to text: inout ExpositionText) async {
        text.family(
            "nunet_build_info", .gauge, help: "The running build (always 1).",
            [([("version", BuildInfo.version), ("commit", BuildInfo.gitCommit)], 1)])
        text.family(
            "nunet_actors", .gauge, help: "Actors of the node (root, orchestrators, allocations).",
            Double(node.actor.registry.all.count))
        let tokens = node.identity.capabilities.verifierStatistics
        text.family(
            "nunet_token_signature_checks_total", .counter, help: "Capability token signatures verified.",
            Double(tokens.signatureChecks))
        text.family(
            "nunet_token_cache_hits_total", .counter,
            help: "Capability token verifications answered from the signature cache.", Double(tokens.cacheHits))
        if let deployments = node.deployments {
            if let counts = try? deployments.history.countsByStatus() {
                text.family(
                    "nunet_deployments", .gauge,
                    help: "Deployments this node orchestrates or keeps in its history, by status.",
                    counts.sorted { $0.key < $1.key }.map { ([("status", $0.key)], Double($0.value)) })
            }
            if let provider = deployments.provider {
                // Keyed by [executor, status].
                var counts: [[String]: Int] = [:]
                for allocation in await provider.allocations() {
                    counts[[allocation.executor, allocation.status], default: 0] += 1
                }
                text.family(
                    "nunet_allocations", .gauge, help: "Allocations this node hosts, by executor and status.",
                    counts.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { key, count in
                        ([("executor", key[0]), ("status", key[1])], Double(count))
                    })
            }
        }
        if let resources = node.resources {
            let snapshot = await resources.manager.snapshot
            appendResources(snapshot, to: &text)
        }
        if let peerToPeer = node.peerToPeer { appendNetwork(peerToPeer, to: &text) }
        if let wasm = node.deployments?.executors[.wasm] as? WasmExecutor {
            text.family(
                "nunet_wasm_fuel_consumed_total", .counter,
                help: "WASM fuel (about one unit per instruction) used by executions that ended on this node.",
                Double(await wasm.fuelConsumed))
        }
        if let resident = ProcessFigures.residentBytes() {
            text.family("process_resident_memory_bytes", .gauge, help: "Resident memory of the daemon.", resident)
        }
        if let descriptors = ProcessFigures.openDescriptors() {
            text.family("process_open_fds", .gauge, help: "Open file descriptors of the daemon.", descriptors)
        }
    }

    private func appendResources(_ snapshot: ResourceManager.Snapshot, to text: inout ExpositionText) {
        var states: [(String, Resources)] = [
            ("committed", snapshot.committed), ("allocated", snapshot.allocated), ("free", snapshot.free),
        ]
        if let onboarded = snapshot.onboarded { states.insert(("onboarded", onboarded), at: 0) }
        let families: [(String, String, (Resources) -> Double)] = [
            ("nunet_resources_cpu_cores", "CPU cores", { $0.cpu.cores }),
            ("nunet_resources_memory_bytes", "Memory", { Double($0.ram) }),
            ("nunet_resources_disk_bytes", "Disk", { Double($0.disk) }),
            ("nunet_resources_gpus", "GPUs", { Double($0.gpus.count) }),
        ]
        for (name, what, value) in families {
            text.family(
                name, .gauge, help: "\(what) onboarded, committed to bids, allocated and free.",
                states.map { ([("state", $0.0)], value($0.1)) })
        }
    }

    private func appendNetwork(_ peerToPeer: PeerToPeer, to text: inout ExpositionText) {
        text.family(
            "nunet_libp2p_connections", .gauge, help: "Open libp2p connections.",
            Double(peerToPeer.host.openConnectionCount))
        let traffic = peerToPeer.host.traffic.snapshot.sorted { $0.key < $1.key }
        text.family(
            "nunet_libp2p_streams_opened_total", .counter, help: "libp2p streams opened, by protocol and direction.",
            traffic.flatMap { entry in
                [
                    ([("protocol", entry.key), ("direction", "inbound")], Double(entry.value.inboundStreams)),
                    ([("protocol", entry.key), ("direction", "outbound")], Double(entry.value.outboundStreams)),
                ]
            })
        text.family(
            "nunet_libp2p_received_bytes_total", .counter, help: "Bytes read from libp2p streams, by protocol.",
            traffic.map { ([("protocol", $0.key)], Double($0.value.bytesReceived)) })
        text.family(
            "nunet_libp2p_sent_bytes_total", .counter, help: "Bytes written to libp2p streams, by protocol.",
            traffic.map { ([("protocol", $0.key)], Double($0.value.bytesSent)) })
        text.family(
            "nunet_dht_routing_table_peers", .gauge, help: "Peers in the Kademlia routing table.",
            Double(peerToPeer.dht.routingTable.count))
        let pubsub = peerToPeer.network.pubsub
        text.family(
            "nunet_gossip_peers", .gauge, help: "Peers speaking GossipSub with this node.",
            Double(pubsub.connectedPeers.count))
        text.family(
            "nunet_gossip_mesh_peers", .gauge, help: "Mesh peers per joined topic.",
            pubsub.topics.sorted().map { ([("topic", $0)], Double(pubsub.mesh($0).count)) })
        text.family(
            "nunet_gossip_messages_total", .counter,
            help: "GossipSub messages: published here, received and accepted, rejected or ignored by validation, "
                + "delivered to local subscribers, and copies sent to peers.",
            pubsub.counters.snapshot.sorted { $0.key < $1.key }.map { ([("event", $0.key)], Double($0.value)) })
        let dht = peerToPeer.dht.counters.snapshot.sorted { $0.key < $1.key }
        text.family(
            "nunet_dht_requests_served_total", .counter, help: "Kademlia requests answered, by kind.",
            dht.filter { $0.key.hasPrefix("served_") }.map {
                ([("kind", String($0.key.dropFirst("served_".count)))], Double($0.value))
            })
        text.family(
            "nunet_dht_lookups_total", .counter, help: "Iterative Kademlia lookups made, by request kind.",
            dht.filter { $0.key.hasPrefix("lookup_") }.map {
                ([("kind", String($0.key.dropFirst("lookup_".count)))], Double($0.value))
            })
    }
}
