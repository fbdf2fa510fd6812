/// A domain name as DNS carries it: labels of 1 to 63 bytes, at most 255 bytes on the wire. Names we are
/// given to look up are checked (letters, digits, `-` and `_`); names read from the wire may hold any bytes.
/// Names compare without regard to ASCII case (RFC 4343), since servers may echo a name in another case.
public struct DNSName: Sendable, Hashable, CustomStringConvertible {
    static let maximumLabelLength = 63
    static let maximumWireLength = 255

    /// The labels, most specific first, without the empty root label.
    public let labels: [[UInt8]]

    /// Checks a name such as `_dnsaddr.bootstrap.example.com` (one trailing dot allowed).
    public init(_ text: String) throws(DNSError) {
        var body = Substring(text)
        if body.hasSuffix(".") { body = body.dropLast() }
        guard !body.isEmpty else { throw .invalidName(text, reason: "the name is empty") }
        var labels: [[UInt8]] = []
        for label in body.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty else { throw .invalidName(text, reason: "it has an empty label") }
            if let bad = label.unicodeScalars.first(where: { !Self.isAllowed($0) }) {
                throw .invalidName(
                    text,
                    reason: "\"\(bad.escaped(asASCII: true))\" is not allowed (letters, digits, - and _; write "
                        + "internationalised names as punycode, xn--…)")
            }
            guard label.utf8.count <= Self.maximumLabelLength else {
                throw .invalidName(text, reason: "the label \"\(label)\" is longer than 63 bytes")
            }
            labels.append(Array(label.utf8))
        }
        self.labels = labels
        guard wireLength <= Self.maximumWireLength else {
            throw .invalidName(text, reason: "it is longer than 255 bytes on the wire")
        }
    }

    /// Labels already checked for length by the caller (the wire reader).
    init(checkedLabels: [[UInt8]]) { labels = checkedLabels }

    /// Bytes on the wire: a length byte per label, the label, and the root's zero byte.
    var wireLength: Int { labels.reduce(1) { $0 + 1 + $1.count } }

    /// `label` in front of this name (`_dnsaddr` for dnsaddr lookups).
    public func prefixed(with label: String) throws(DNSError) -> DNSName {
        let name = DNSName(checkedLabels: try DNSName(label).labels + labels)
        guard name.wireLength <= Self.maximumWireLength else {
            throw .invalidName("\(label).\(self)", reason: "it is longer than 255 bytes on the wire")
        }
        return name
    }

    /// The uncompressed wire form.
    func encode(into output: inout [UInt8]) {
        for label in labels {
            output.append(UInt8(label.count))
            output += label
        }
        output.append(0)
    }

    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        lhs.labels.count == rhs.labels.count
            && zip(lhs.labels, rhs.labels).allSatisfy { $0.map(Self.lowercased) == $1.map(Self.lowercased) }
    }

    public func hash(into hasher: inout Hasher) {
        for label in labels { hasher.combine(label.map(Self.lowercased)) }
    }

    /// Dotted text; bytes other than letters, digits, `-` and `_` are written `\DDD` (RFC 4343 §2.1).
    public var description: String {
        guard !labels.isEmpty else { return "." }
        return labels.map { label in
            label.map { byte in
                Self.isAllowed(Unicode.Scalar(byte)) ? String(Unicode.Scalar(byte)) : Self.decimalEscape(byte)
            }.joined()
        }.joined(separator: ".")
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_": return true
        default: return false
        }
    }

    private static func decimalEscape(_ byte: UInt8) -> String {
        let digits = String(byte)
        return "\\" + String(repeating: "0", count: 3 - digits.count) + digits
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
