import Synchronization

/// Streams opened and bytes moved per protocol, for the node's metrics. Protocol IDs pass through `label`
/// first, so IDs that embed a name (the DMS's `actor/<inbox>/messages/0.0.1`) can be folded into one entry and
/// the table stays as small as the set of protocols.
public final class Libp2pTraffic: Sendable {
    public struct Counts: Sendable, Equatable {
        public var inboundStreams: UInt64 = 0
        public var outboundStreams: UInt64 = 0
        public var bytesReceived: UInt64 = 0
        public var bytesSent: UInt64 = 0
    }

    private let label: @Sendable (String) -> String
    private let table = Mutex<[String: Counts]>([:])

    public init(label: @escaping @Sendable (String) -> String = { $0 }) {
        self.label = label
    }

    /// Counts by protocol label.
    public var snapshot: [String: Counts] { table.withLock { $0 } }

    /// Counts a stream opened on `protocolID` and returns the label its bytes are to be counted under, worked
    /// out once per stream rather than on every read and write.
    func streamOpened(_ protocolID: String, inbound: Bool) -> String {
        let key = label(protocolID)
        table.withLock { table in
            if inbound {
                table[key, default: Counts()].inboundStreams += 1
            } else {
                table[key, default: Counts()].outboundStreams += 1
            }
        }
        return key
    }

    func received(_ count: Int, under key: String) {
        table.withLock { $0[key, default: Counts()].bytesReceived += UInt64(count) }
    }

    func sent(_ count: Int, under key: String) {
        table.withLock { $0[key, default: Counts()].bytesSent += UInt64(count) }
    }
}
