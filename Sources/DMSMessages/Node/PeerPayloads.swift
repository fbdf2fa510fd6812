/// `/dms/node/peers/list`: the connected peers (`Peers`, as the Go DMS answers), with what this node
/// knows of each.
public struct PeersListResponse: Codable, Sendable, Equatable {
    public var peers: [String]
    public var details: [PeerDetail]

    public init(peers: [String], details: [PeerDetail]) {
        self.peers = peers
        self.details = details
    }

    enum CodingKeys: String, CodingKey {
        case peers = "Peers"
        case details = "Details"
    }
}

/// One peer as the node knows it.
public struct PeerDetail: Codable, Sendable, Equatable {
    public var id: String
    public var addresses: [String]
    public var agent: String
    /// Whether it serves the DHT (listed in the routing table).
    public var inRoutingTable: Bool

    public init(id: String, addresses: [String], agent: String, inRoutingTable: Bool) {
        self.id = id
        self.addresses = addresses
        self.agent = agent
        self.inRoutingTable = inRoutingTable
    }

    enum CodingKeys: String, CodingKey {
        case id = "ID"
        case addresses = "Addresses"
        case agent = "Agent"
        case inRoutingTable = "InRoutingTable"
    }
}

/// `/dms/node/peers/connect`: a multiaddress, or `/p2p/<peer ID>` to look the peer up in the DHT.
public struct PeerConnectRequest: Codable, Sendable, Equatable {
    public var address: String

    public init(address: String) { self.address = address }

    enum CodingKeys: String, CodingKey { case address = "Address" }
}

/// `"Status": "CONNECTED"` and the peer, or a non-empty `Error`.
public struct PeerConnectResponse: Codable, Sendable, Equatable {
    public var status: String
    public var peer: String
    public var error: String

    public init(status: String, peer: String, error: String) {
        self.status = status
        self.peer = peer
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case status = "Status"
        case peer = "Peer"
        case error = "Error"
    }
}

/// `/dms/node/peers/ping`: the peer ID to ping.
public struct PeerPingRequest: Codable, Sendable, Equatable {
    public var host: String

    public init(host: String) { self.host = host }

    enum CodingKeys: String, CodingKey { case host = "Host" }
}

/// The round trip in milliseconds (`RTT`), or a non-empty `Error`.
public struct PeerPingResponse: Codable, Sendable, Equatable {
    public var error: String
    public var rtt: Double

    public init(error: String, rtt: Double) {
        self.error = error
        self.rtt = rtt
    }

    enum CodingKeys: String, CodingKey {
        case error = "Error"
        case rtt = "RTT"
    }
}

/// `/dms/node/peers/dht`: the DHT routing table.
public struct PeersDHTResponse: Codable, Sendable, Equatable {
    public var peers: [String]
    public var mode: String
    public var buckets: [DHTBucket]

    public init(peers: [String], mode: String, buckets: [DHTBucket]) {
        self.peers = peers
        self.mode = mode
        self.buckets = buckets
    }

    enum CodingKeys: String, CodingKey {
        case peers = "Peers"
        case mode = "Mode"
        case buckets = "Buckets"
    }
}

/// The routing table's peers sharing `commonPrefix` leading bits with this node's key.
public struct DHTBucket: Codable, Sendable, Equatable {
    public var commonPrefix: Int
    public var peers: [String]

    public init(commonPrefix: Int, peers: [String]) {
        self.commonPrefix = commonPrefix
        self.peers = peers
    }

    enum CodingKeys: String, CodingKey {
        case commonPrefix = "CommonPrefix"
        case peers = "Peers"
    }
}
