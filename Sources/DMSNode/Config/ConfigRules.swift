import Foundation

/// The rules string settings are checked against.
extension ConfigRule<String> {
    static let path = ConfigRule(description: "a non-empty path") { !$0.trimmingCharacters(in: .whitespaces).isEmpty }

    static let ipAddress = ConfigRule(description: "an IPv4 or IPv6 address such as 127.0.0.1 or ::1") {
        var ipv4 = in_addr()
        var ipv6 = in6_addr()
        return inet_pton(AF_INET, $0, &ipv4) == 1 || inet_pton(AF_INET6, $0, &ipv6) == 1
    }

    static let multiaddress = ConfigRule(description: "multiaddresses such as /ip4/0.0.0.0/tcp/9000") {
        MultiaddressSyntax.isValid($0)
    }

    static let peerMultiaddress = ConfigRule(
        description: "multiaddresses that end in /p2p/<peer ID>, such as /ip4/1.2.3.4/tcp/9000/p2p/12D3KooW..."
    ) {
        MultiaddressSyntax.isValid($0) && $0.split(separator: "/").dropLast().last == "p2p"
    }
}

/// Syntax check for multiaddress text: known protocols, each followed by a well-formed value when it
/// takes one. Enough to catch typos at configuration time.
enum MultiaddressSyntax {
    private enum Operand { case none, ipv4, ipv6, port, name }

    private static let protocols: [String: Operand] = [
        "ip4": .ipv4, "ip6": .ipv6, "tcp": .port, "udp": .port, "dns": .name, "dns4": .name, "dns6": .name,
        "dnsaddr": .name, "p2p": .name, "quic": .none, "quic-v1": .none, "ws": .none, "wss": .none,
        "p2p-circuit": .none, "webtransport": .none,
    ]

    static func isValid(_ text: String) -> Bool {
        guard text.hasPrefix("/"), text.count > 1 else { return false }
        var parts = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).makeIterator()
        while let name = parts.next() {
            guard let operand = protocols[String(name)] else { return false }
            switch operand {
            case .none: continue
            case .ipv4:
                var address = in_addr()
                guard let value = parts.next(), inet_pton(AF_INET, String(value), &address) == 1 else { return false }
            case .ipv6:
                var address = in6_addr()
                guard let value = parts.next(), inet_pton(AF_INET6, String(value), &address) == 1 else { return false }
            case .port:
                guard let value = parts.next(), let port = UInt16(value) else { return false }
                _ = port
            case .name:
                guard let value = parts.next(), !value.isEmpty else { return false }
            }
        }
        return true
    }
}
