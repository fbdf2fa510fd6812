/// The Go DMS's direct-message protocol: one libp2p stream per message on
/// `actor/<inbox>/messages/0.0.1` (no leading slash), carrying `u64 little-endian length ‖ envelope`;
/// the writer half-closes and nothing is written back.
public enum DMSMessageProtocol {
    public static func protocolID(inbox: String) -> String { "actor/\(inbox)/messages/0.0.1" }

    /// A protocol ID for counting traffic: every actor's message protocol as one, `actor/*/messages/0.0.1`, since
    /// inboxes are per deployment and allocation; any other ID as it is.
    public static func trafficLabel(_ protocolID: String) -> String {
        protocolID.hasPrefix("actor/") && protocolID.hasSuffix("/messages/0.0.1")
            ? "actor/*/messages/0.0.1" : protocolID
    }

    public static let prefixLength = 8

    public static func frame(_ payload: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: UInt64(payload.count).littleEndian, Array.init) + payload
    }

    /// The payload length announced by a prefix.
    public static func length(_ prefix: [UInt8]) -> UInt64 {
        prefix.prefix(prefixLength).enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }
}
