/// Why an address could not be resolved, naming the address as it was given (a bootstrap peer's
/// `/dnsaddr/…` line, say) and what went wrong on the way.
public struct MultiaddrResolutionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Error, Sendable, Equatable, CustomStringConvertible {
        /// A lookup failed (NXDOMAIN, no records, timeout, an invalid host name…).
        case dns(DNSError)
        /// A `/dns` host with neither A nor AAAA records.
        case noAddresses(String)
        /// The TXT records at `name` hold no `dnsaddr=` entry that is a multiaddr; `ignored` lists the
        /// entries that are not.
        case noEntries(name: String, ignored: [String])
        /// Entries exist but none ends in `suffix` (usually `/p2p/<id>`).
        case noMatchingEntry(name: String, suffix: String)
        /// The `_dnsaddr` names of a chain of entries that leads back to itself.
        case loop([String])
        /// More lookups than `MultiaddrResolver.maximumLookups` were needed.
        case lookupLimit(Int)
        /// Every entry that could have matched failed; each says which and why.
        case entriesFailed([String])

        public var description: String {
            switch self {
            case .dns(let error): return error.description
            case .noAddresses(let name): return "\(name) has no A or AAAA records"
            case .noEntries(let name, let ignored):
                let detail = ignored.isEmpty ? "" : " (not multiaddrs: \(ignored.joined(separator: "; ")))"
                return "\(name) has no dnsaddr= TXT entry\(detail)"
            case .noMatchingEntry(let name, let suffix): return "no dnsaddr entry matches \(suffix) (at \(name))"
            case .loop(let names): return "dnsaddr loop: \(names.joined(separator: " → "))"
            case .lookupLimit(let limit): return "gave up after \(limit) DNS lookups"
            case .entriesFailed(let failures): return "every entry failed: \(failures.joined(separator: "; "))"
            }
        }
    }

    /// The address as it was asked for.
    public let address: String
    public let reason: Reason

    public var description: String { "cannot resolve \(address): \(reason)" }
}
