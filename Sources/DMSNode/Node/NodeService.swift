import Foundation
import Logging
import ServiceLifecycle

/// Runs the node under the daemon's service group: starts the actor, picks up changes `nunet cap`
/// makes to the node's capability context file, and stops the actor on shutdown.
public struct NodeService: Service {
    public let node: Node
    static let reloadInterval: Duration = .seconds(1)

    public init(node: Node) { self.node = node }

    /// The libp2p host under the node, if it has one: it joins the network beside the node (bootstrap
    /// peers, DHT, discovery) and closes after the node stops.
    var peerToPeer: PeerToPeer? { node.peerToPeer }

    public func run() async throws {
        try await node.start()
        node.logger.info(
            "node actor started",
            metadata: ["did": "\(node.identity.did)", "peer_id": "\(node.identity.peerID)", "handle": "\(node.handle)"])
        // Joining the network runs beside the node: unreachable peers never hold up the start.
        let joining = Task { [peerToPeer] in await peerToPeer?.maintain() }
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: Self.reloadInterval)
                if let expired = try? await node.resources?.manager.sweepExpired(), !expired.isEmpty {
                    node.logger.info("released expired commitments", metadata: ["allocations": "\(expired)"])
                }
                await node.reloadCapabilities()
            }
        }
        joining.cancel()
        await node.stop()
        await peerToPeer?.close()
        node.logger.info("node actor stopped")
    }
}
