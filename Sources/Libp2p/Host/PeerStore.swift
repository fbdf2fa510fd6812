import Libp2pCrypto
import Multiformats
import NIOConcurrencyHelpers

/// What the host knows about other peers: addresses to dial and what identify reported.
public final class PeerStore: Sendable {
    public struct Record: Sendable, Equatable {
        public var addresses: [Multiaddr] = []
        public var protocols: [String] = []
        public var agentVersion: String?
        public var protocolVersion: String?
        /// How the peer sees this host's address.
        public var observedAddress: Multiaddr?
    }

    private let records = NIOLockedValueBox<[PeerID: Record]>([:])
    /// Addresses kept per peer, newest last: peers and DHT answers cannot grow a record without bound.
    public static let maxAddresses = 32

    public init() {}

    public func record(_ peer: PeerID) -> Record? { records.withLockedValue { $0[peer] } }

    public func addAddresses(_ addresses: [Multiaddr], for peer: PeerID) {
        records.withLockedValue { all in
            var record = all[peer] ?? Record()
            for address in addresses where !record.addresses.contains(address) { record.addresses.append(address) }
            record.addresses = Array(record.addresses.suffix(Self.maxAddresses))
            all[peer] = record
        }
    }

    func update(_ peer: PeerID, _ change: (inout Record) -> Void) {
        records.withLockedValue { all in
            var record = all[peer] ?? Record()
            change(&record)
            record.addresses = Array(record.addresses.suffix(Self.maxAddresses))
            all[peer] = record
        }
    }

    public var peers: [PeerID] { records.withLockedValue { Array($0.keys) } }
}
