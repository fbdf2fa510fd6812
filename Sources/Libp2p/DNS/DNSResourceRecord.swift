/// One resource record of an answer (RFC 1035 §4.1.3), its data decoded for the types a resolver follows.
struct DNSResourceRecord: Sendable, Equatable {
    /// Record data by type; other types keep their bytes so they can be skipped or re-encoded.
    enum Data: Sendable, Equatable {
        case a([UInt8])
        case aaaa([UInt8])
        /// The record's character-strings, each at most 255 bytes.
        case txt([[UInt8]])
        case cname(DNSName)
        case ptr(DNSName)
        case other(DNSRecordType, [UInt8])

        var type: DNSRecordType {
            switch self {
            case .a: return .a
            case .aaaa: return .aaaa
            case .txt: return .txt
            case .cname: return .cname
            case .ptr: return .ptr
            case .other(let type, _): return type
            }
        }
    }

    static let classIN: UInt16 = 1

    var name: DNSName
    var recordClass: UInt16 = Self.classIN
    var ttl: UInt32 = 0
    var data: Data

    var type: DNSRecordType { data.type }

    /// A TXT record's strings joined, as libp2p reads them (a long `dnsaddr=` value may be split).
    var text: [UInt8]? {
        guard case .txt(let strings) = data else { return nil }
        return strings.flatMap { $0 }
    }

    /// The uncompressed wire form; fails on data that has no wire form (a TXT string over 255 bytes).
    func encode(into output: inout [UInt8]) throws(DNSError) {
        name.encode(into: &output)
        output.appendBigEndian(type.rawValue)
        output.appendBigEndian(recordClass)
        output.appendBigEndian(ttl)
        var rdata: [UInt8] = []
        switch data {
        case .a(let bytes), .aaaa(let bytes), .other(_, let bytes): rdata = bytes
        case .cname(let target), .ptr(let target): target.encode(into: &rdata)
        case .txt(let strings):
            for string in strings {
                guard string.count <= 255 else {
                    throw .malformedMessage("a TXT character-string of \(string.count) bytes exceeds 255")
                }
                rdata.append(UInt8(string.count))
                rdata += string
            }
        }
        guard rdata.count <= Int(UInt16.max) else {
            throw .malformedMessage("record data of \(rdata.count) bytes exceeds 65535")
        }
        output.appendBigEndian(UInt16(rdata.count))
        output += rdata
    }
}
