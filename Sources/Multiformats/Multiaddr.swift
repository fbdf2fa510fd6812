#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A self-describing network address such as `/ip4/127.0.0.1/tcp/9000/p2p/12D3KooW…`, in its text and
/// binary (`varint(code) ‖ value`) forms. Only the protocols libp2p peers exchange are known; anything
/// else is refused by name rather than carried blindly.
public struct Multiaddr: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case ip4([UInt8])
        case ip6([UInt8])
        case ip6zone(String)
        case ipcidr(UInt8)
        case tcp(UInt16)
        case udp(UInt16)
        case dns(String)
        case dns4(String)
        case dns6(String)
        case dnsaddr(String)
        /// The peer ID's multihash bytes; text is base58btc.
        case p2p([UInt8])
        case p2pCircuit
        case quic
        case quicV1
        case tls
        case sni(String)
        case noise
        case webtransport
        case certhash([UInt8])
        case http
        case ws
        case wss
    }

    public private(set) var components: [Component]

    public init(_ components: [Component]) { self.components = components }

    public init(_ text: String) throws(MultiaddrError) {
        guard text.hasPrefix("/") else { throw .invalid(text, "a multiaddr starts with /") }
        var parts = text.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if parts.last == "" { parts = parts.dropLast() }
        var components: [Component] = []
        while let name = parts.popFirst() {
            guard let kind = MultiaddrProtocol(name: String(name)) else {
                throw .invalid(text, "unknown protocol \"\(name)\"")
            }
            if case .none = kind.size {
                components.append(try kind.component(text: "", in: text))
                continue
            }
            guard let value = parts.popFirst(), !value.isEmpty else {
                throw .invalid(text, "/\(name) needs a value")
            }
            components.append(try kind.component(text: String(value), in: text))
        }
        guard !components.isEmpty else { throw .invalid(text, "no protocols") }
        self.components = components
    }

    public init(bytes: [UInt8]) throws(MultiaddrError) {
        var components: [Component] = []
        var index = 0
        let described = "0x" + bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        while index < bytes.count {
            guard let (code, codeLength) = try? Varint.decode(bytes[index...]) else {
                throw .invalid(described, "truncated protocol code at byte \(index)")
            }
            guard let kind = MultiaddrProtocol(rawValue: code) else {
                throw .invalid(described, "unknown protocol code \(code)")
            }
            index += codeLength
            let length: Int
            switch kind.size {
            case .none: length = 0
            case .fixed(let size): length = size
            case .variable:
                guard let (size, sizeLength) = try? Varint.decode(bytes[index...]), size <= UInt64(bytes.count) else {
                    throw .invalid(described, "truncated length of /\(kind.name)")
                }
                index += sizeLength
                length = Int(size)
            }
            guard bytes.count - index >= length else { throw .invalid(described, "truncated value of /\(kind.name)") }
            components.append(try kind.component(bytes: Array(bytes[index..<index + length]), in: described))
            index += length
        }
        guard !components.isEmpty else { throw .invalid(described, "no protocols") }
        self.components = components
    }

    public var bytes: [UInt8] {
        var output: [UInt8] = []
        for component in components {
            let kind = MultiaddrProtocol(component)
            Varint.encode(kind.rawValue, into: &output)
            let value = kind.valueBytes(component)
            if case .variable = kind.size { Varint.encode(UInt64(value.count), into: &output) }
            output += value
        }
        return output
    }

    public var description: String {
        components.map { component in
            let kind = MultiaddrProtocol(component)
            let value = kind.valueText(component)
            return value.map { "/\(kind.name)/\($0)" } ?? "/\(kind.name)"
        }.joined()
    }

    /// This address followed by `other`.
    public func appending(_ other: Component) -> Multiaddr { Multiaddr(components + [other]) }

    /// The peer ID multihash of a trailing `/p2p/…`, and the address without it.
    public var splittingPeer: (address: Multiaddr, peer: [UInt8]?) {
        guard case .p2p(let peer)? = components.last, components.count > 1 else { return (self, nil) }
        return (Multiaddr(Array(components.dropLast())), peer)
    }

    /// Host and port of a `/ip4|ip6|dns*/…/tcp/…` address, for dialling TCP.
    public var tcpEndpoint: (host: String, port: Int)? {
        guard components.count >= 2, case .tcp(let port) = components[1] else { return nil }
        switch components[0] {
        case .ip4, .ip6: return (MultiaddrProtocol(components[0]).valueText(components[0]) ?? "", Int(port))
        case .dns(let name), .dns4(let name), .dns6(let name): return (name, Int(port))
        default: return nil
        }
    }
}

public enum MultiaddrError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String, String)

    public var description: String {
        switch self {
        case .invalid(let address, let reason): return "invalid multiaddr \"\(address)\": \(reason)"
        }
    }
}

/// The protocol table: codes, names and value sizes from the multiaddr registry.
enum MultiaddrProtocol: UInt64, CaseIterable {
    case ip4 = 4
    case tcp = 6
    case ip6 = 41
    case ip6zone = 42
    case ipcidr = 43
    case dns = 53
    case dns4 = 54
    case dns6 = 55
    case dnsaddr = 56
    case udp = 273
    case p2pCircuit = 290
    case p2p = 421
    case tls = 448
    case sni = 449
    case noise = 454
    case quic = 460
    case quicV1 = 461
    case webtransport = 465
    case certhash = 466
    case http = 480
    case ws = 477
    case wss = 478

    enum Size {
        case none
        case fixed(Int)
        case variable
    }

    var name: String {
        switch self {
        case .p2pCircuit: return "p2p-circuit"
        case .quicV1: return "quic-v1"
        default: return "\(self)"
        }
    }

    var size: Size {
        switch self {
        case .ip4: return .fixed(4)
        case .ip6: return .fixed(16)
        case .tcp, .udp: return .fixed(2)
        case .ipcidr: return .fixed(1)
        case .ip6zone, .dns, .dns4, .dns6, .dnsaddr, .p2p, .sni, .certhash: return .variable
        case .p2pCircuit, .tls, .noise, .quic, .quicV1, .webtransport, .http, .ws, .wss: return .none
        }
    }

    init?(name: String) {
        let match = name == "ipfs" ? .p2p : Self.allCases.first { $0.name == name }
        guard let match else { return nil }
        self = match
    }

    init(_ component: Multiaddr.Component) {
        switch component {
        case .ip4: self = .ip4
        case .ip6: self = .ip6
        case .ip6zone: self = .ip6zone
        case .ipcidr: self = .ipcidr
        case .tcp: self = .tcp
        case .udp: self = .udp
        case .dns: self = .dns
        case .dns4: self = .dns4
        case .dns6: self = .dns6
        case .dnsaddr: self = .dnsaddr
        case .p2p: self = .p2p
        case .p2pCircuit: self = .p2pCircuit
        case .quic: self = .quic
        case .quicV1: self = .quicV1
        case .tls: self = .tls
        case .sni: self = .sni
        case .noise: self = .noise
        case .webtransport: self = .webtransport
        case .certhash: self = .certhash
        case .http: self = .http
        case .ws: self = .ws
        case .wss: self = .wss
        }
    }

    func component(text value: String, in address: String) throws(MultiaddrError) -> Multiaddr.Component {
        func fail(_ rule: String) -> MultiaddrError { .invalid(address, "/\(name)/\(value): \(rule)") }
        switch self {
        case .ip4:
            guard let bytes = IPAddressText.parse(value, family: AF_INET) else { throw fail("not an IPv4 address") }
            return .ip4(bytes)
        case .ip6:
            guard let bytes = IPAddressText.parse(value, family: AF_INET6) else { throw fail("not an IPv6 address") }
            return .ip6(bytes)
        case .tcp, .udp:
            guard let port = UInt16(value) else { throw fail("a port is an integer from 0 to 65535") }
            return self == .tcp ? .tcp(port) : .udp(port)
        case .ipcidr:
            guard let bits = UInt8(value) else { throw fail("a prefix length from 0 to 255") }
            return .ipcidr(bits)
        case .ip6zone: return .ip6zone(value)
        case .dns: return .dns(value)
        case .dns4: return .dns4(value)
        case .dns6: return .dns6(value)
        case .dnsaddr: return .dnsaddr(value)
        case .sni: return .sni(value)
        case .p2p:
            guard let multihash = PeerIDText.multihash(value) else {
                throw fail("not a peer ID (base58btc multihash or libp2p-key CID)")
            }
            return .p2p(multihash)
        case .certhash:
            guard let decoded = try? Multibase.decode(value) else { throw fail("not a multibase certificate hash") }
            return .certhash(decoded.bytes)
        case .p2pCircuit: return .p2pCircuit
        case .quic: return .quic
        case .quicV1: return .quicV1
        case .tls: return .tls
        case .noise: return .noise
        case .webtransport: return .webtransport
        case .http: return .http
        case .ws: return .ws
        case .wss: return .wss
        }
    }

    func component(bytes value: [UInt8], in address: String) throws(MultiaddrError) -> Multiaddr.Component {
        func text() throws(MultiaddrError) -> String {
            guard let string = String(validating: value, as: UTF8.self), !string.isEmpty, !string.contains("/") else {
                throw .invalid(address, "/\(name) value is not a name")
            }
            return string
        }
        switch self {
        case .ip4: return .ip4(value)
        case .ip6: return .ip6(value)
        case .tcp: return .tcp(UInt16(value[0]) << 8 | UInt16(value[1]))
        case .udp: return .udp(UInt16(value[0]) << 8 | UInt16(value[1]))
        case .ipcidr: return .ipcidr(value[0])
        case .p2p:
            guard PeerIDText.isPeerID(value) else { throw .invalid(address, "/p2p value is not a peer ID multihash") }
            return .p2p(value)
        case .certhash: return .certhash(value)
        case .ip6zone: return .ip6zone(try text())
        case .dns: return .dns(try text())
        case .dns4: return .dns4(try text())
        case .dns6: return .dns6(try text())
        case .dnsaddr: return .dnsaddr(try text())
        case .sni: return .sni(try text())
        default: return try component(text: "", in: address)
        }
    }

    func valueBytes(_ component: Multiaddr.Component) -> [UInt8] {
        switch component {
        case .ip4(let bytes), .ip6(let bytes), .p2p(let bytes), .certhash(let bytes): return bytes
        case .tcp(let port), .udp(let port): return [UInt8(port >> 8), UInt8(port & 0xFF)]
        case .ipcidr(let bits): return [bits]
        case .ip6zone(let text), .dns(let text), .dns4(let text), .dns6(let text), .dnsaddr(let text), .sni(let text):
            return Array(text.utf8)
        case .p2pCircuit, .quic, .quicV1, .tls, .noise, .webtransport, .http, .ws, .wss: return []
        }
    }

    func valueText(_ component: Multiaddr.Component) -> String? {
        switch component {
        case .ip4(let bytes): return IPAddressText.format(bytes, family: AF_INET)
        case .ip6(let bytes): return IPAddressText.format(bytes, family: AF_INET6)
        case .tcp(let port), .udp(let port): return String(port)
        case .ipcidr(let bits): return String(bits)
        case .p2p(let multihash): return Base58.encode(multihash)
        case .certhash(let bytes): return Multibase.encode(bytes, as: .base58btc)
        case .ip6zone(let text), .dns(let text), .dns4(let text), .dns6(let text), .dnsaddr(let text), .sni(let text):
            return text
        case .p2pCircuit, .quic, .quicV1, .tls, .noise, .webtransport, .http, .ws, .wss: return nil
        }
    }
}

/// IP addresses in text through the C library, so IPv6 compression follows RFC 5952 exactly.
enum IPAddressText {
    static func parse(_ text: String, family: Int32) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: family == AF_INET ? 4 : 16)
        return inet_pton(family, text, &bytes) == 1 ? bytes : nil
    }

    static func format(_ bytes: [UInt8], family: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        guard inet_ntop(family, bytes, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Peer IDs in text: base58btc multihashes (`12D3KooW…`, `Qm…`) or CIDv1 with the libp2p-key codec.
public enum PeerIDText {
    /// The multihash bytes a peer ID text names, or nil.
    public static func multihash(_ text: String) -> [UInt8]? {
        if text.hasPrefix("1") || text.hasPrefix("Q") {
            guard let bytes = Base58.decode(text), isPeerID(bytes) else { return nil }
            return bytes
        }
        guard let decoded = try? Multibase.decode(text), let cid = try? CID(bytes: decoded.bytes),
            cid.codec == CID.libp2pKey, isPeerID(cid.multihash)
        else { return nil }
        return cid.multihash
    }

    /// Whether `bytes` is a peer ID multihash: the identity hash of a key, or a full SHA-256 digest (so its
    /// text form starts with `1` or `Q`, as peer ID parsers expect).
    public static func isPeerID(_ bytes: [UInt8]) -> Bool {
        guard let multihash = try? Multihash(decoding: bytes) else { return false }
        return multihash.code == .identity ? !multihash.digest.isEmpty : multihash.digest.count == 32
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
