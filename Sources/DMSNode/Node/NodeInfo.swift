import DMSCore
import Foundation

/// Replies of the node's informational behaviors (Go-style capitalised keys).
public struct HelloResponse: Codable, Sendable, Equatable {
    public var DID: String
    public var PeerID: String
    public var Version: String
}

public struct StatusResponse: Codable, Sendable, Equatable {
    public var Status: String
    public var DID: String
    public var PeerID: String
    public var Version: String
    public var UptimeSeconds: Int
}

/// `/dms/node/peers/self`: the node's peer ID and its comma-separated listen addresses.
public struct PeerSelfResponse: Codable, Sendable, Equatable {
    public var id: String
    public var listen_addr: String
}
