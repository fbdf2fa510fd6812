import NIOCore

/// A name server to ask: an IP address and a port. Only literal addresses, since finding the name server by
/// name would need a name server.
public struct DNSServerAddress: Sendable, Hashable, CustomStringConvertible {
    public static let defaultPort = 53

    public let host: String
    public let port: Int
    let socketAddress: SocketAddress

    public init(host: String, port: Int = Self.defaultPort) throws(DNSError) {
        try self.init(host: host, port: port, text: host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
    }

    /// `text` is what the caller wrote, so an error quotes it.
    private init(host: String, port: Int, text: String) throws(DNSError) {
        guard (1...65535).contains(port) else {
            throw .invalidServer(text, reason: "the port \(port) is not from 1 to 65535")
        }
        guard let socketAddress = try? SocketAddress(ipAddress: host, port: port) else {
            throw .invalidServer(text, reason: "\"\(host)\" is not an IPv4 or IPv6 address")
        }
        self.host = host
        self.port = port
        self.socketAddress = socketAddress
    }

    /// `192.0.2.53`, `192.0.2.53:5353`, `2001:db8::53` or `[2001:db8::53]:5353`; the port defaults to 53.
    public init(_ text: String) throws(DNSError) {
        let host: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw .invalidServer(text, reason: "the [ of an IPv6 address is not closed")
            }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidServer(text, reason: "expected :port after ]") }
                portText = after.dropFirst()
            }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            host = Substring(text)
        }
        var port = Self.defaultPort
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw .invalidServer(text, reason: "the port \"\(portText)\" is not a number from 1 to 65535")
            }
            port = number
        }
        guard !host.isEmpty else { throw .invalidServer(text, reason: "no address") }
        try self.init(host: String(host), port: port, text: text)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    public static func == (lhs: DNSServerAddress, rhs: DNSServerAddress) -> Bool {
        lhs.host == rhs.host && lhs.port == rhs.port
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(host)
        hasher.combine(port)
    }
}
