import DMSCore
import Foundation
import Multiformats

/// The rules string settings are checked against.
extension ConfigRule<String> {
    static let path = ConfigRule(description: "a non-empty path") { !$0.trimmingCharacters(in: .whitespaces).isEmpty }

    static let ipAddress = ConfigRule(description: "an IPv4 or IPv6 address such as 127.0.0.1 or ::1") {
        var ipv4 = in_addr()
        var ipv6 = in6_addr()
        return inet_pton(AF_INET, $0, &ipv4) == 1 || inet_pton(AF_INET6, $0, &ipv6) == 1
    }

    static let dockerHost = ConfigRule(description: "unix:///path/to/docker.sock or tcp://host:port") {
        ($0.hasPrefix("unix:///") && $0.count > 8) || ($0.hasPrefix("tcp://") && $0.split(separator: ":").count == 3)
    }

    /// The continents ensembles' location rules name.
    static let continents = ["Africa", "Antarctica", "Asia", "Europe", "North America", "Oceania", "South America"]

    static let continent = ConfigRule(description: "one of \(continents.joined(separator: ", ")), or empty") {
        $0.isEmpty || continents.contains($0)
    }

    static let countryCode = ConfigRule(description: "a two-letter ISO 3166 country code such as DE, or empty") {
        $0.isEmpty || ($0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isUppercase })
    }

    static let anyText = ConfigRule(description: "any text") { _ in true }

    static let amount = ConfigRule(description: "a finite amount of 0 or more, such as 0.5") {
        Double($0).map { $0.isFinite && $0 >= 0 } ?? false
    }

    static let jobTime = ConfigRule(description: "a duration of a second or more such as 90m, 3h or 2d, or empty") {
        $0.isEmpty || ((try? TimeSpec.duration($0)).map { $0 >= 1_000_000_000 } ?? false)
    }

    static let instant = ConfigRule(
        description: "a date YYYY-MM-DD or an RFC 3339 time such as 2027-01-31T18:00:00Z, or empty"
    ) {
        $0.isEmpty || (try? TimeSpec.instant($0)) != nil
    }

    static let jobType = ConfigRule(
        description: "job types: \(ComputeCapability.JobType.allCases.map(\.rawValue).joined(separator: ", "))"
    ) {
        ComputeCapability.JobType(rawValue: $0) != nil
    }

    /// An OTLP/HTTP collector's base URL (spans go to `<url>/v1/traces`), or empty for none.
    static let httpURL = ConfigRule(description: "an http:// or https:// URL such as http://127.0.0.1:4318, or empty") {
        text in
        if text.isEmpty { return true }
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else { return false }
        return url.query == nil && url.fragment == nil
    }

    static let multiaddress = ConfigRule(description: "multiaddresses such as /ip4/0.0.0.0/tcp/9000") {
        (try? Multiaddr($0)) != nil
    }

    static let peerMultiaddress = ConfigRule(
        description: "multiaddresses that end in /p2p/<peer ID>, such as /ip4/1.2.3.4/tcp/9000/p2p/12D3KooW..."
    ) {
        (try? Multiaddr($0))?.splittingPeer.peer != nil
    }
}
