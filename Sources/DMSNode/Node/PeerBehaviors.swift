import DMSActor
import DMSMessages
import Libp2p
import Libp2pCrypto
import Multiformats

/// `/dms/node/peers/...`: the node's view of the network and the means to reach a peer by hand, as the
/// Go DMS offers them. They need the libp2p host; a node on an in-memory network says so.
enum PeerBehaviors {
    static func register(on node: Node) {
        let actor = node.actor
        actor.addBehavior(Behaviors.peersList) { _ in
            let p2p = try host(node)
            let table = p2p.dht.routingTable
            let peers = p2p.host.connectedPeers.sorted { $0.description < $1.description }
            return try Payload.encode(
                PeersListResponse(
                    peers: peers.map(\.description),
                    details: peers.map { peer in
                        let record = p2p.host.peerStore.record(peer)
                        return PeerDetail(
                            id: peer.description, addresses: record?.addresses.map(\.description) ?? [],
                            agent: record?.agentVersion ?? "", inRoutingTable: table.contains(peer))
                    }))
        }
        actor.addBehavior(Behaviors.peersConnect) { message in
            let request = try message.decode(PeerConnectRequest.self)
            let p2p = try host(node)
            let address: Multiaddr
            do {
                address = try Multiaddr(request.address)
            } catch {
                return try Payload.encode(PeerConnectResponse(status: "FAILED", peer: "", error: "\(error)"))
            }
            do {
                let peer = try await p2p.connect(address)
                return try Payload.encode(PeerConnectResponse(status: "CONNECTED", peer: peer.description, error: ""))
            } catch {
                return try Payload.encode(
                    PeerConnectResponse(
                        status: "FAILED", peer: "", error: "cannot connect to \(request.address): \(error)"))
            }
        }
        actor.addBehavior(Behaviors.peersPing) { message in
            let request = try message.decode(PeerPingRequest.self)
            let p2p = try host(node)
            do {
                let peer = try await p2p.dht.connection(to: try PeerID(request.host)).remotePeer
                let rtt = try await p2p.host.ping(peer)
                let milliseconds = Double(rtt.components.seconds) * 1000 + Double(rtt.components.attoseconds) / 1e15
                return try Payload.encode(PeerPingResponse(error: "", rtt: milliseconds))
            } catch {
                return try Payload.encode(PeerPingResponse(error: "cannot ping \(request.host): \(error)", rtt: 0))
            }
        }
        actor.addBehavior(Behaviors.peersDHT) { _ in
            let p2p = try host(node)
            let table = p2p.dht.routingTable
            return try Payload.encode(
                PeersDHTResponse(
                    peers: table.entries.map(\.peer.description), mode: p2p.dht.isServer ? "server" : "client",
                    buckets: table.byBucket.map {
                        DHTBucket(commonPrefix: $0.commonPrefix, peers: $0.peers.map(\.description))
                    }))
        }
    }

    private static func host(_ node: Node) throws -> PeerToPeer {
        guard let p2p = node.peerToPeer else {
            throw NoPeerToPeer()
        }
        return p2p
    }
}

/// Why a peer behavior cannot answer on a node without libp2p.
struct NoPeerToPeer: Error, CustomStringConvertible {
    var description: String { "this node has no peer-to-peer host (it runs on an in-memory network)" }
}
