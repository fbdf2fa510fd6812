import Foundation
import Logging
import ServiceLifecycle

/// Runs the node under the daemon's service group: starts the actor, picks up changes `nunet cap`
/// makes to the node's capability context file, and stops the actor on shutdown.
public struct NodeService: Service {
    public let node: Node
    /// The libp2p host under the node, if it has one: bootstrap peers are dialled at start and re-dialled
    /// while missing, and the host closes after the node stops.
    public let peerToPeer: PeerToPeer?
    static let reloadInterval: Duration = .seconds(1)
    static let bootstrapRetryTicks = 30

    public init(node: Node, peerToPeer: PeerToPeer? = nil) {
        self.node = node
        self.peerToPeer = peerToPeer
    }

    public func run() async throws {
        try await node.start()
        node.logger.info(
            "node actor started",
            metadata: ["did": "\(node.identity.did)", "peer_id": "\(node.identity.peerID)", "handle": "\(node.handle)"])
        let initial = node.identity.contexts.modificationTime(of: node.identity.contextName)
        await peerToPeer?.connectBootstrapPeers()
        try? await cancelWhenGracefulShutdown {
            var seen = initial
            var ticks = 0
            while !Task.isCancelled {
                try await Task.sleep(for: Self.reloadInterval)
                ticks += 1
                if ticks % Self.bootstrapRetryTicks == 0 { await peerToPeer?.connectBootstrapPeers() }
                if let expired = try? await node.resources?.manager.sweepExpired(), !expired.isEmpty {
                    node.logger.info("released expired commitments", metadata: ["allocations": "\(expired)"])
                }
                do {
                    let updated = try node.identity.reloadAnchorsIfChanged(since: seen)
                    if updated != seen { node.logger.info("capability context reloaded") }
                    seen = updated
                } catch {
                    node.logger.error("capability context not reloaded: \(error)")
                }
            }
        }
        await node.stop()
        peerToPeer?.network.close()
        await peerToPeer?.host.close()
        node.logger.info("node actor stopped")
    }
}
