import Multiformats

/// Turns `/dns`, `/dns4`, `/dns6` and `/dnsaddr` addresses into the `/ip4` and `/ip6` addresses they stand
/// for, as go-libp2p does before dialling: NuNet's bootstrap peers are `/dnsaddr/bootstrap.p2p.nunet.io/…`.
public struct MultiaddrResolver: Sendable {
    /// go-multiaddr-dns's bound on lookups for one address, so a tree of TXT records cannot fan out forever.
    public static let maximumLookups = 32
    static let dnsaddrPrefix = Array("dnsaddr=".utf8)

    public var dns: DNSResolver

    public init(dns: DNSResolver = DNSResolver()) { self.dns = dns }

    /// Whether `address` starts with a DNS component (the only place one is resolved, as in go-libp2p).
    public static func needsResolution(_ address: Multiaddr) -> Bool {
        switch address.components.first {
        case .dns?, .dns4?, .dns6?, .dnsaddr?: return true
        default: return false
        }
    }

    /// The addresses `address` stands for, in record order without repeats (IPv4 before IPv6 for `/dns`);
    /// other addresses come back as they are. `/dnsaddr` entries are resolved recursively, and when the
    /// address goes on after the host (usually `/p2p/<id>`), only results ending the same way are kept.
    public func resolve(_ address: Multiaddr) async throws(MultiaddrResolutionError) -> [Multiaddr] {
        guard Self.needsResolution(address) else { return [address] }
        var lookups = LookupBudget()
        do {
            var seen: Set<Multiaddr> = []
            return try await expand(address, chain: [], lookups: &lookups).filter { seen.insert($0).inserted }
        } catch {
            throw MultiaddrResolutionError(address: address.description, reason: error)
        }
    }

    private typealias Reason = MultiaddrResolutionError.Reason

    private struct LookupBudget {
        var spent = 0

        mutating func spend() throws(Reason) {
            guard spent < MultiaddrResolver.maximumLookups else { throw .lookupLimit(MultiaddrResolver.maximumLookups) }
            spent += 1
        }
    }

    /// `address` fully resolved; `chain` holds the `_dnsaddr` names being expanded above it.
    private func expand(_ address: Multiaddr, chain: [DNSName], lookups: inout LookupBudget) async throws(Reason)
        -> [Multiaddr]
    {
        let rest = Array(address.components.dropFirst())
        switch address.components.first {
        case .dns4(let host)?: return try await ipAddresses(host, ipv4: true, ipv6: false, rest: rest, &lookups)
        case .dns6(let host)?: return try await ipAddresses(host, ipv4: false, ipv6: true, rest: rest, &lookups)
        case .dns(let host)?: return try await ipAddresses(host, ipv4: true, ipv6: true, rest: rest, &lookups)
        case .dnsaddr(let host)?: return try await entries(host, rest: rest, chain: chain, &lookups)
        default: return [address]
        }
    }

    private func ipAddresses(
        _ host: String, ipv4: Bool, ipv6: Bool, rest: [Multiaddr.Component], _ lookups: inout LookupBudget
    ) async throws(Reason) -> [Multiaddr] {
        // An address literal stands for itself, and localhost for the loopback addresses (RFC 6761 §6.3).
        if ipv4, let literal = try? Multiaddr("/ip4/\(host)") { return [Multiaddr(literal.components + rest)] }
        if ipv6, let literal = try? Multiaddr("/ip6/\(host)") { return [Multiaddr(literal.components + rest)] }
        let name: DNSName
        do { name = try DNSName(host) } catch { throw .dns(error) }
        if name.labels.last.map({ String(decoding: $0, as: UTF8.self).lowercased() }) == "localhost" {
            let loopback: [Multiaddr.Component] =
                (ipv4 ? [.ip4([127, 0, 0, 1])] : []) + (ipv6 ? [.ip6(Array(repeating: 0, count: 15) + [1])] : [])
            return loopback.map { Multiaddr([$0] + rest) }
        }
        var found: [Multiaddr] = []
        var failures: [DNSError] = []
        if ipv4 {
            try lookups.spend()
            do {
                found += try await dns.ipv4Addresses(of: name).map { Multiaddr([.ip4($0)] + rest) }
            } catch {
                failures.append(error)
            }
        }
        if ipv6, !failures.contains(.nameNotFound(name.description)) {
            try lookups.spend()
            do {
                found += try await dns.ipv6Addresses(of: name).map { Multiaddr([.ip6($0)] + rest) }
            } catch {
                failures.append(error)
            }
        }
        guard found.isEmpty else { return found }
        let onlyNoRecords = failures.allSatisfy { if case .noRecords = $0 { true } else { false } }
        if failures.count == 2, onlyNoRecords { throw .noAddresses(name.description) }
        throw .dns(failures.first { if case .noRecords = $0 { false } else { true } } ?? failures[0])
    }

    private func entries(
        _ host: String, rest: [Multiaddr.Component], chain: [DNSName], _ lookups: inout LookupBudget
    ) async throws(Reason) -> [Multiaddr] {
        let name: DNSName
        do { name = try DNSName(host).prefixed(with: "_dnsaddr") } catch { throw .dns(error) }
        guard !chain.contains(name) else { throw .loop((chain + [name]).map(\.description)) }
        try lookups.spend()
        let texts: [[UInt8]]
        do { texts = try await dns.textRecords(of: name) } catch { throw .dns(error) }
        let wantedPeer: [UInt8]? = if case .p2p(let peer)? = rest.last { peer } else { nil }
        var results: [Multiaddr] = []
        var ignored: [String] = []
        var failures: [(entry: String, reason: Reason)] = []
        var candidates = 0
        for text in texts where text.starts(with: Self.dnsaddrPrefix) {
            let value = String(decoding: text.dropFirst(Self.dnsaddrPrefix.count), as: UTF8.self)
            let candidate: Multiaddr
            do {
                candidate = try Multiaddr(value)
            } catch {
                ignored.append("\"\(value)\"")
                continue
            }
            candidates += 1
            // An entry for another peer is passed over without looking it up.
            if let wantedPeer, case .p2p(let peer)? = candidate.components.last, peer != wantedPeer { continue }
            var expanded = [candidate]
            if Self.needsResolution(candidate) {
                do {
                    expanded = try await expand(candidate, chain: chain + [name], lookups: &lookups)
                } catch {
                    failures.append((candidate.description, error))
                    continue
                }
            }
            results += expanded.filter {
                $0.components.count > rest.count && $0.components.suffix(rest.count) == rest[...]
            }
        }
        guard results.isEmpty else { return results }
        if failures.count == 1 { throw failures[0].reason }
        if !failures.isEmpty { throw .entriesFailed(failures.map { "\($0.entry): \($0.reason)" }) }
        guard candidates > 0 else { throw .noEntries(name: name.description, ignored: ignored) }
        throw .noMatchingEntry(name: name.description, suffix: Multiaddr(rest).description)
    }
}
