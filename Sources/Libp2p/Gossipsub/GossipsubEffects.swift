import Libp2pCrypto

/// A message that passed the signature check and waits for its topic validator.
struct PendingValidation: Sendable {
    let id: [UInt8]
    let message: GossipsubRPC.Message
    let topic: String
    /// The author (`from`), verified by the signature.
    let author: PeerID
    /// The peer that sent it to us (the author or a forwarder).
    let receivedFrom: PeerID
}

/// What the router asks its owner to do after an input: RPCs to send (one per peer, merged), messages
/// to validate, messages accepted (to deliver locally), peers offered in peer exchange to connect to.
struct GossipsubEffects {
    var send: [PeerID: GossipsubRPC] = [:]
    var validate: [PendingValidation] = []
    var deliver: [PendingValidation] = []
    var connect: [PeerID] = []

    var isEmpty: Bool { send.isEmpty && validate.isEmpty && deliver.isEmpty && connect.isEmpty }

    mutating func send(to peer: PeerID, _ change: (inout GossipsubRPC) -> Void) {
        change(&send[peer, default: GossipsubRPC()])
    }

    mutating func control(to peer: PeerID, _ change: (inout GossipsubRPC.Control) -> Void) {
        send(to: peer) { rpc in
            var control = rpc.control ?? GossipsubRPC.Control()
            change(&control)
            rpc.control = control
        }
    }

    mutating func merge(_ other: GossipsubEffects) {
        for (peer, rpc) in other.send {
            send(to: peer) { current in
                current.subscriptions += rpc.subscriptions
                current.publish += rpc.publish
                if let control = rpc.control {
                    var merged = current.control ?? GossipsubRPC.Control()
                    merged.merge(control)
                    current.control = merged
                }
            }
        }
        validate += other.validate
        deliver += other.deliver
        connect += other.connect.filter { !connect.contains($0) }
    }
}

extension GossipsubRPC.Control {
    mutating func merge(_ other: GossipsubRPC.Control) {
        ihave += other.ihave
        iwant += other.iwant
        graft += other.graft
        prune += other.prune
    }
}
