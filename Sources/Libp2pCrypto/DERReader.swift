/// Reads DER tag-length-value elements, as far as libp2p's PKIX keys need; nil on anything malformed.
struct DERReader {
    static let integer: UInt8 = 0x02
    static let bitString: UInt8 = 0x03
    static let objectIdentifier: UInt8 = 0x06
    static let sequence: UInt8 = 0x30

    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { bytes.isEmpty }

    /// The next element, whatever its tag.
    mutating func next() -> (tag: UInt8, content: ArraySlice<UInt8>)? {
        guard let tag = bytes.first, let lengthByte = bytes.dropFirst().first else { return nil }
        var start = bytes.startIndex + 2
        var length = Int(lengthByte)
        if lengthByte >= 0x80 {
            let count = Int(lengthByte & 0x7F)
            guard (1...4).contains(count), bytes.endIndex - start >= count else { return nil }
            length = bytes[start..<start + count].reduce(0) { $0 << 8 | Int($1) }
            start += count
        }
        guard bytes.endIndex - start >= length else { return nil }
        let content = bytes[start..<start + length]
        bytes = bytes[(start + length)...]
        return (tag, content)
    }

    /// The content of the next element if it has `tag`; nothing is consumed otherwise.
    mutating func content(of tag: UInt8) -> ArraySlice<UInt8>? {
        guard bytes.first == tag else { return nil }
        return next()?.content
    }

    /// An OBJECT IDENTIFIER's content in dotted form (`1.2.840.10045.2.1`).
    static func dotted(_ content: ArraySlice<UInt8>) -> String? {
        guard let last = content.last, last & 0x80 == 0 else { return nil }
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        for byte in content {
            guard value >> 56 == 0 else { return nil }
            value = value << 7 | UInt64(byte & 0x7F)
            if byte & 0x80 == 0 {
                arcs.append(value)
                value = 0
            }
        }
        let first = min(arcs[0] / 40, 2)
        return ([first, arcs[0] - first * 40] + arcs.dropFirst()).map(String.init).joined(separator: ".")
    }
}
