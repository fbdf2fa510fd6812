import Libp2pCrypto
import Multiformats

/// A peer another node announced on the local network: its ID and the addresses it gave, without the
/// trailing `/p2p/<peer>`, ready for the peer store.
public struct MDNSPeer: Sendable, Equatable {
    public let peer: PeerID
    public let addresses: [Multiaddr]

    public init(peer: PeerID, addresses: [Multiaddr]) {
        self.peer = peer
        self.addresses = addresses
    }
}
