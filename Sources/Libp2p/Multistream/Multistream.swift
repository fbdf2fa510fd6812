import Multiformats

/// multistream-select 1.0 messages: `uvarint(len + 1) ‖ text ‖ '\n'`. Both sides open with
/// `/multistream/1.0.0`; the initiator proposes protocols one at a time and the responder echoes the one
/// it accepts or answers `na`.
public enum Multistream {
    public static let header = "/multistream/1.0.0"
    public static let notAvailable = "na"
    public static let list = "ls"
    /// Protocol IDs are short; a longer message is a misbehaving peer.
    public static let maxMessageLength = 1024

    public static func encode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        encode(text, into: &bytes)
        return bytes
    }

    public static func encode(_ text: String, into bytes: inout [UInt8]) {
        Varint.encode(UInt64(text.utf8.count + 1), into: &bytes)
        bytes += text.utf8
        bytes.append(0x0A)
    }

    /// One message from the start of `bytes`, and how many bytes it took; nil until it is complete.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(MultistreamError) -> (text: String, length: Int)? {
        let length: UInt64
        let prefix: Int
        do {
            (length, prefix) = try Varint.decode(bytes)
        } catch .truncated {
            return nil
        } catch {
            throw .malformed("bad length prefix")
        }
        guard length <= UInt64(maxMessageLength) else { throw .malformed("message of \(length) bytes is too long") }
        guard length >= 1 else { throw .malformed("empty message") }
        guard bytes.count - prefix >= Int(length) else { return nil }
        let start = bytes.startIndex + prefix
        let end = start + Int(length) - 1
        guard bytes[end] == 0x0A else { throw .malformed("message does not end with a newline") }
        guard let text = String(validating: bytes[start..<end], as: UTF8.self) else {
            throw .malformed("message is not UTF-8")
        }
        return (text, prefix + Int(length))
    }

    /// The answer to `ls`, as go-multistream writes it: the length of the list, then each protocol as a
    /// message.
    static func listing(_ protocols: [String]) -> [UInt8] {
        var list: [UInt8] = []
        for id in protocols { encode(id, into: &list) }
        return Varint.encode(UInt64(list.count)) + list
    }
}

/// What both sides of a negotiation share: buffering what arrives, checking the peer's header, and handing
/// over the bytes that follow the agreement.
struct MultistreamMessages: Sendable {
    private var buffer: [UInt8] = []
    private var index = 0
    private var headerSeen = false

    mutating func append(_ bytes: some Collection<UInt8>) { buffer += bytes }

    /// The next complete message after the peer's header, or nil until more bytes arrive.
    mutating func next() throws(MultistreamError) -> String? {
        while let (text, length) = try Multistream.decode(buffer[index...]) {
            index += length
            guard headerSeen else {
                guard text == Multistream.header else { throw .unexpectedHeader(text) }
                headerSeen = true
                continue
            }
            return text
        }
        buffer.removeFirst(index)
        index = 0
        return nil
    }

    /// The bytes after the last message read, which belong to the agreed protocol.
    mutating func takeRest() -> [UInt8] {
        defer {
            buffer = []
            index = 0
        }
        return Array(buffer[index...])
    }
}

public enum MultistreamError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case unexpectedHeader(String)
    case notSupported([String])

    public var description: String {
        switch self {
        case .malformed(let reason): return "multistream-select: \(reason)"
        case .unexpectedHeader(let header):
            return "multistream-select: peer speaks \"\(header)\", not \(Multistream.header)"
        case .notSupported(let protocols):
            return "multistream-select: the peer supports none of \(protocols.joined(separator: ", "))"
        }
    }
}

/// What a negotiation step asks of its caller.
public struct MultistreamStep: Sendable, Equatable {
    /// Bytes to write to the peer now.
    public var send: [UInt8] = []
    /// Set when negotiation is over: the agreed protocol and the bytes that followed it, which belong to
    /// that protocol (optimistic senders write them before the echo arrives).
    public var agreed: (protocolID: String, leftover: [UInt8])?

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.send == rhs.send && lhs.agreed?.protocolID == rhs.agreed?.protocolID
            && lhs.agreed?.leftover == rhs.agreed?.leftover
    }
}
