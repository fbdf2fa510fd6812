/// Reads a DNS message with every length, count and compression pointer checked against the bytes at hand,
/// so hostile input ends in a named error: never a crash, a loop or an allocation larger than the message.
struct DNSWireReader {
    /// More pointers than a 255-byte name could need (each segment adds a label of at least 2 wire bytes).
    static let maximumPointers = 128

    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    mutating func readUInt8(_ what: String) throws(DNSError) -> UInt8 {
        try need(1, what)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readUInt16(_ what: String) throws(DNSError) -> UInt16 {
        try need(2, what)
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func readUInt32(_ what: String) throws(DNSError) -> UInt32 {
        let high = try readUInt16(what)
        return UInt32(high) << 16 | UInt32(try readUInt16(what))
    }

    mutating func readBytes(_ count: Int, _ what: String) throws(DNSError) -> [UInt8] {
        try need(count, what)
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// A possibly compressed name (RFC 1035 §4.1.4). Each pointer must go strictly before the start of the
    /// part of the name it continues (a "prior occurrence"), which rules out loops; the 255-byte limit and a
    /// pointer cap bound the work further.
    mutating func readName(_ what: String) throws(DNSError) -> DNSName {
        var labels: [[UInt8]] = []
        var wireLength = 1
        var position = offset
        var segmentStart = offset
        var resumeAt: Int?
        var pointers = 0
        while true {
            guard position < bytes.count else {
                throw .malformedMessage("the name in \(what) runs past the end of the message")
            }
            let length = bytes[position]
            switch length & 0xC0 {
            case 0x00:
                guard length > 0 else {
                    offset = resumeAt ?? position + 1
                    return DNSName(checkedLabels: labels)
                }
                let start = position + 1
                let end = start + Int(length)
                guard end <= bytes.count else {
                    throw .malformedMessage("a label of the name in \(what) runs past the end of the message")
                }
                wireLength += 1 + Int(length)
                guard wireLength <= DNSName.maximumWireLength else {
                    throw .malformedMessage("the name in \(what) is longer than 255 bytes")
                }
                labels.append(Array(bytes[start..<end]))
                position = end
            case 0xC0:
                guard position + 1 < bytes.count else {
                    throw .malformedMessage("a compression pointer in \(what) is cut off")
                }
                let target = Int(length & 0x3F) << 8 | Int(bytes[position + 1])
                guard target < segmentStart else {
                    throw .malformedMessage(
                        "a compression pointer in \(what) (at byte \(position)) points to byte \(target), "
                            + "which is not before the name it continues")
                }
                pointers += 1
                guard pointers <= Self.maximumPointers else {
                    throw .malformedMessage("the name in \(what) has more than \(Self.maximumPointers) pointers")
                }
                if resumeAt == nil { resumeAt = position + 2 }
                segmentStart = target
                position = target
            default:
                throw .malformedMessage(
                    "the name in \(what) uses label type 0x\(String(length & 0xC0, radix: 16)), which DNS does not define"
                )
            }
        }
    }

    private func need(_ count: Int, _ what: String) throws(DNSError) {
        guard count <= remaining else {
            throw .malformedMessage("\(what) needs \(count) bytes at byte \(offset), but only \(remaining) remain")
        }
    }
}

extension [UInt8] {
    /// Network byte order, as every DNS field is.
    mutating func appendBigEndian(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(value & 0xFF))
    }

    mutating func appendBigEndian(_ value: UInt32) {
        appendBigEndian(UInt16(value >> 16))
        appendBigEndian(UInt16(value & 0xFFFF))
    }
}
