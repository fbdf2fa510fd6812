/// A resource record type (RFC 1035 §3.2.2). Unknown types stay representable, so an answer carrying
/// records we do not use is still read (and skipped) rather than refused.
public struct DNSRecordType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = DNSRecordType(rawValue: 1)
    public static let cname = DNSRecordType(rawValue: 5)
    /// Points a service type at its instances (DNS-SD, RFC 6763), as mDNS discovery asks for.
    public static let ptr = DNSRecordType(rawValue: 12)
    public static let txt = DNSRecordType(rawValue: 16)
    public static let aaaa = DNSRecordType(rawValue: 28)
    /// A service instance's host and port (RFC 2782); go-libp2p's mDNS expects one beside the TXT record.
    public static let srv = DNSRecordType(rawValue: 33)
    /// The EDNS(0) pseudo-record (RFC 6891) that advertises a larger UDP payload.
    public static let opt = DNSRecordType(rawValue: 41)

    public var description: String {
        switch self {
        case .a: return "A"
        case .cname: return "CNAME"
        case .ptr: return "PTR"
        case .srv: return "SRV"
        case .txt: return "TXT"
        case .aaaa: return "AAAA"
        case .opt: return "OPT"
        default: return "TYPE\(rawValue)"
        }
    }
}
