import DMSCore
import Foundation

/// Replies of the node's informational behaviors, with the Go DMS's capitalised JSON keys.
public struct HelloResponse: Codable, Sendable, Equatable {
    public var did: String
    public var peerID: String
    public var version: String

    public init(did: String, peerID: String, version: String) {
        self.did = did
        self.peerID = peerID
        self.version = version
    }

    enum CodingKeys: String, CodingKey {
        case did = "DID"
        case peerID = "PeerID"
        case version = "Version"
    }
}

public struct StatusResponse: Codable, Sendable, Equatable {
    public var status: String
    public var did: String
    public var peerID: String
    public var version: String
    public var uptimeSeconds: Int

    public init(status: String, did: String, peerID: String, version: String, uptimeSeconds: Int) {
        self.status = status
        self.did = did
        self.peerID = peerID
        self.version = version
        self.uptimeSeconds = uptimeSeconds
    }

    enum CodingKeys: String, CodingKey {
        case status = "Status"
        case did = "DID"
        case peerID = "PeerID"
        case version = "Version"
        case uptimeSeconds = "UptimeSeconds"
    }
}

/// `/dms/node/peers/self`: the node's peer ID and its comma-separated listen addresses.
public struct PeerSelfResponse: Codable, Sendable, Equatable {
    public var id: String
    public var listenAddresses: String

    public init(id: String, listenAddresses: String) {
        self.id = id
        self.listenAddresses = listenAddresses
    }

    enum CodingKeys: String, CodingKey {
        case id
        case listenAddresses = "listen_addr"
    }
}
