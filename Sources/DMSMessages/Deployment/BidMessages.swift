import DMSActor
import DMSCore
import DMSCrypto
import DMSEnsemble
import Foundation

/// Sent to providers: what each node of the ensemble needs.
public struct BidRequest: Sendable, Equatable, Codable {
    public struct NodeRequest: Sendable, Equatable, Codable {
        public var nodeID: String
        public var resources: Resources
        public var executors: [ExecutorKind]
        public var staticPorts: [Int]
        public var dynamicPorts: Int
        /// Whether a container of the node asks to run privileged (nil: no).
        public var privileged: Bool?

        public init(
            nodeID: String, resources: Resources, executors: [ExecutorKind], staticPorts: [Int], dynamicPorts: Int,
            privileged: Bool? = nil
        ) {
            self.nodeID = nodeID
            self.resources = resources
            self.executors = executors
            self.staticPorts = staticPorts
            self.dynamicPorts = dynamicPorts
            self.privileged = privileged
        }

        enum CodingKeys: String, CodingKey {
            case nodeID = "node_id"
            case resources, executors
            case staticPorts = "static_ports"
            case dynamicPorts = "dynamic_ports"
            case privileged = "privileged_docker"
        }
    }

    public var ensembleID: String
    public var nodes: [NodeRequest]
    public var excludedPeers: [String]

    public init(ensembleID: String, nodes: [NodeRequest], excludedPeers: [String]) {
        self.ensembleID = ensembleID
        self.nodes = nodes
        self.excludedPeers = excludedPeers
    }

    enum CodingKeys: String, CodingKey {
        case ensembleID = "ensemble_id"
        case nodes
        case excludedPeers = "peer_exclusion"
    }
}

/// A provider's answer: an offer (what it can host now) or a decline with its reason. Signed by the
/// provider's node key over `"dms-bid-"` + the JSON of the reply without its signature, so an offer
/// relayed or altered on the way is refused.
public struct BidReply: Sendable, Equatable, Codable {
    /// The provider's offer: a Capability (free resources, executors, localities, connectivity, prices,
    /// time) and what a Capability cannot say: the exact location and the public ports it hands out.
    public struct OfferTerms: Sendable, Equatable, Codable {
        public var capability: ComputeCapability
        public var location: Location?
        public var portRangeFrom: Int
        public var portRangeTo: Int
        public var reservedPorts: [Int]

        public init(
            capability: ComputeCapability, location: Location? = nil, portRangeFrom: Int, portRangeTo: Int,
            reservedPorts: [Int]
        ) {
            self.capability = capability
            self.location = location
            self.portRangeFrom = portRangeFrom
            self.portRangeTo = portRangeTo
            self.reservedPorts = reservedPorts
        }

        enum CodingKeys: String, CodingKey {
            case capability, location
            case portRangeFrom = "port_range_from"
            case portRangeTo = "port_range_to"
            case reservedPorts = "reserved_ports"
        }
    }

    public var ensembleID: String
    public var peer: String
    /// The provider's root actor.
    public var handle: HandleReference
    public var offer: OfferTerms?
    public var decline: String?
    public var signature: [UInt8]

    public init(
        ensembleID: String, peer: String, handle: HandleReference, offer: OfferTerms? = nil, decline: String? = nil,
        signature: [UInt8]
    ) {
        self.ensembleID = ensembleID
        self.peer = peer
        self.handle = handle
        self.offer = offer
        self.decline = decline
        self.signature = signature
    }

    enum CodingKeys: String, CodingKey {
        case ensembleID = "ensemble_id"
        case peer, handle, offer, decline, signature
    }

    static let signaturePrefix = Array("dms-bid-".utf8)

    private var signedBytes: [UInt8] {
        var unsigned = self
        unsigned.signature = []
        return Self.signaturePrefix + ((try? Payload.encode(unsigned)) ?? [])
    }

    public mutating func sign(with key: PrivateKey) { signature = key.sign(signedBytes) }

    /// Whether the reply was signed by the key of the peer it names.
    public var hasValidSignature: Bool {

        guard let peerID = try? PeerID(peer), let key = try? peerID.publicKey() else { return false }
        return (try? key.isValidSignature(signature, for: signedBytes)) ?? false
    }
}
