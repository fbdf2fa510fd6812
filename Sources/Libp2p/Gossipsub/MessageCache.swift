import Libp2pCrypto

/// The gossipsub message cache: the messages of the last `length` heartbeats, by ID, to answer IWANT; the
/// IDs of the last `gossipWindows` heartbeats are the ones advertised in IHAVE. It also counts how often
/// each message went to each peer through IWANT, so a peer cannot make us resend a message endlessly.
struct MessageCache {
    struct Entry {
        var message: GossipsubRPC.Message
        var topic: String
        var transmissions: [PeerID: Int] = [:]
    }

    let length: Int
    let gossipWindows: Int
    private var windows: [[(id: [UInt8], topic: String)]]
    private var entries: [[UInt8]: Entry] = [:]

    init(length: Int, gossipWindows: Int) {
        self.length = max(1, length)
        self.gossipWindows = min(max(1, gossipWindows), max(1, length))
        windows = [[]]
    }

    var count: Int { entries.count }

    mutating func put(_ message: GossipsubRPC.Message, id: [UInt8], topic: String) {
        guard entries[id] == nil else { return }
        entries[id] = Entry(message: message, topic: topic)
        windows[0].append((id, topic))
    }

    func get(_ id: [UInt8]) -> GossipsubRPC.Message? { entries[id]?.message }

    /// The message for an IWANT from `peer` and how many times it has now gone to that peer.
    mutating func getForPeer(_ id: [UInt8], peer: PeerID) -> (GossipsubRPC.Message, Int)? {
        guard var entry = entries[id] else { return nil }
        let count = (entry.transmissions[peer] ?? 0) + 1
        entry.transmissions[peer] = count
        entries[id] = entry
        return (entry.message, count)
    }

    /// IDs of `topic` in the gossip windows (newest first).
    func gossipIDs(_ topic: String) -> [[UInt8]] {
        windows.prefix(gossipWindows).flatMap { window in window.filter { $0.topic == topic }.map(\.id) }
    }

    /// Starts a new heartbeat window and drops the oldest beyond `length`.
    mutating func shift() {
        windows.insert([], at: 0)
        while windows.count > length {
            for (id, _) in windows.removeLast() { entries.removeValue(forKey: id) }
        }
    }
}
