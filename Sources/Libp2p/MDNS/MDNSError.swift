/// Why the mDNS service could not start.
public enum MDNSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No interface could join the multicast group; `interfaces` names those tried (empty: none qualified).
    case noMulticastInterface(interfaces: [String])

    public var description: String {
        switch self {
        case .noMulticastInterface(let interfaces) where interfaces.isEmpty:
            return "mdns: no up interface with an IPv4 address supports multicast"
        case .noMulticastInterface(let interfaces):
            return "mdns: could not join 224.0.0.251 on \(interfaces.joined(separator: ", "))"
        }
    }
}
