/// A yamux frame header: `version u8 | type u8 | flags u16 | stream ID u32 | length u32`, big-endian.
/// For DATA frames `length` counts the payload that follows; for the others it carries a value.
public struct YamuxFrame: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        case data = 0
        case windowUpdate = 1
        case ping = 2
        case goAway = 3
    }

    public struct Flags: OptionSet, Sendable, Equatable {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        public static let syn = Flags(rawValue: 1)
        public static let ack = Flags(rawValue: 2)
        public static let fin = Flags(rawValue: 4)
        public static let rst = Flags(rawValue: 8)
    }

    public static let headerLength = 12
    public static let protocolID = "/yamux/1.0.0"

    public var kind: Kind
    public var flags: Flags
    public var streamID: UInt32
    public var length: UInt32

    public init(_ kind: Kind, flags: Flags = [], streamID: UInt32, length: UInt32) {
        self.kind = kind
        self.flags = flags
        self.streamID = streamID
        self.length = length
    }

    public func encode(into bytes: inout [UInt8]) {
        bytes.append(0)
        bytes.append(kind.rawValue)
        bytes.append(UInt8(flags.rawValue >> 8))
        bytes.append(UInt8(flags.rawValue & 0xFF))
        for shift in stride(from: 24, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: streamID >> UInt32(shift)))
        }
        for shift in stride(from: 24, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: length >> UInt32(shift)))
        }
    }

    /// The header at `index` in `bytes`, or nil when fewer than 12 bytes remain.
    public static func decode(_ bytes: [UInt8], at index: Int) throws(YamuxError) -> YamuxFrame? {
        guard bytes.count - index >= headerLength else { return nil }
        guard bytes[index] == 0 else { throw .protocolError("unknown yamux version \(bytes[index])") }
        guard let kind = Kind(rawValue: bytes[index + 1]) else {
            throw .protocolError("unknown frame type \(bytes[index + 1])")
        }
        func word(_ offset: Int) -> UInt32 {
            (index + offset..<index + offset + 4).reduce(0) { $0 << 8 | UInt32(bytes[$1]) }
        }
        let flags = Flags(rawValue: UInt16(bytes[index + 2]) << 8 | UInt16(bytes[index + 3]))
        return YamuxFrame(kind, flags: flags, streamID: word(4), length: word(8))
    }
}

public enum YamuxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The peer broke the protocol; the session sends GoAway and the connection closes.
    case protocolError(String)
    case streamClosed(UInt32)
    case tooManyStreams(Int)
    case tooManyPendingAcks(Int)
    case sessionClosed

    public var description: String {
        switch self {
        case .protocolError(let reason): return "yamux: protocol error: \(reason)"
        case .streamClosed(let id): return "yamux: stream \(id) is closed for writing"
        case .tooManyStreams(let limit): return "yamux: more than \(limit) streams open"
        case .tooManyPendingAcks(let limit): return "yamux: \(limit) opened streams await the peer's ACK"
        case .sessionClosed: return "yamux: the session is closed"
        }
    }
}
