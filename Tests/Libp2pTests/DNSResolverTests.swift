import Libp2pCrypto
import Multiformats
import NIOCore
import NunetTestSupport
import Testing

@testable import Libp2p

/// Resolution of `/dns*` and `/dnsaddr` addresses against a DNS server on loopback, and the stub resolver's
/// handling of truncation, retries, timeouts and replies that do not answer its query.
@Suite struct DNSResolverTests {
    static let peerA = PeerID(publicKey: PrivateKey().publicKey)
    static let peerB = PeerID(publicKey: PrivateKey().publicKey)

    static func resolver(
        _ servers: [LoopbackDNSServer], timeout: TimeAmount = .seconds(5), attempts: Int = 2
    ) throws -> MultiaddrResolver {
        let list = try servers.map { try DNSServerAddress($0.server) }
        return MultiaddrResolver(dns: DNSResolver(servers: .list(list), timeout: timeout, attempts: attempts))
    }

    static func addresses(_ texts: String...) throws -> [Multiaddr] { try texts.map { try Multiaddr($0) } }

    /// The reason `address` does not resolve.
    static func failure(_ resolver: MultiaddrResolver, _ address: String) async throws -> MultiaddrResolutionError? {
        let parsed = try Multiaddr(address)
        do {
            _ = try await resolver.resolve(parsed)
            return nil
        } catch {
            return error
        }
    }

    @Test func dns4Dns6AndDnsKeepTheRestOfTheAddress() async throws {
        let server = try await LoopbackDNSServer.start(records: [
            .a("node.test", [192, 0, 2, 1]), .a("node.test", [192, 0, 2, 2]),
            .aaaa("node.test", [0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [1]),
            .cname("alias.test", "node.test"), .a("v4only.test", [192, 0, 2, 9]),
        ])
        defer { Task { await server.close() } }
        let resolver = try Self.resolver([server])
        let peer = Self.peerA.description
        #expect(
            try await resolver.resolve(try Multiaddr("/dns4/node.test/tcp/4001/p2p/\(peer)"))
                == Self.addresses("/ip4/192.0.2.1/tcp/4001/p2p/\(peer)", "/ip4/192.0.2.2/tcp/4001/p2p/\(peer)"))
        #expect(
            try await resolver.resolve(try Multiaddr("/dns6/NODE.test/udp/9000/quic-v1"))
                == Self.addresses("/ip6/2001:db8::1/udp/9000/quic-v1"))
        #expect(
            try await resolver.resolve(try Multiaddr("/dns/alias.test/tcp/1"))
                == Self.addresses("/ip4/192.0.2.1/tcp/1", "/ip4/192.0.2.2/tcp/1", "/ip6/2001:db8::1/tcp/1"))
        #expect(
            try await resolver.resolve(try Multiaddr("/dns/v4only.test/tcp/1"))
                == Self.addresses("/ip4/192.0.2.9/tcp/1"))
    }

    @Test func addressesWithoutDNSLiteralsAndLocalhostNeedNoServer() async throws {
        let resolver = MultiaddrResolver(dns: DNSResolver(servers: .list([])))
        let plain = try Multiaddr("/ip4/192.0.2.1/tcp/1/p2p/\(Self.peerA)")
        #expect(try await resolver.resolve(plain) == [plain])
        #expect(
            try await resolver.resolve(try Multiaddr("/dns4/192.0.2.7/tcp/1")) == Self.addresses("/ip4/192.0.2.7/tcp/1")
        )
        #expect(try await resolver.resolve(try Multiaddr("/dns6/::1/tcp/1")) == Self.addresses("/ip6/::1/tcp/1"))
        #expect(
            try await resolver.resolve(try Multiaddr("/dns/localhost/tcp/1"))
                == Self.addresses("/ip4/127.0.0.1/tcp/1", "/ip6/::1/tcp/1"))
        let error = try await Self.failure(resolver, "/dns4/node.test/tcp/1")
        #expect(error?.reason == .dns(.noServers(source: "the configured server list is empty")))
    }

    @Test func missingNamesAndRecordsAreNamed() async throws {
        let server = try await LoopbackDNSServer.start(records: [
            .a("v4only.test", [192, 0, 2, 9]), .txt("other.test", ["x"]),
        ])
        defer { Task { await server.close() } }
        let resolver = try Self.resolver([server])
        let missing = try await Self.failure(resolver, "/dns4/missing.test/tcp/1")
        #expect(missing?.reason == .dns(.nameNotFound("missing.test")))
        #expect(
            missing?.description
                == "cannot resolve /dns4/missing.test/tcp/1: dns: missing.test does not exist (NXDOMAIN)")
        #expect(
            try await Self.failure(resolver, "/dns6/v4only.test/tcp/1")?.reason
                == .dns(.noRecords("v4only.test", type: .aaaa)))
        #expect(try await Self.failure(resolver, "/dns/other.test/tcp/1")?.reason == .noAddresses("other.test"))
        #expect(
            try await Self.failure(resolver, "/dnsaddr/missing.test")?.reason
                == .dns(.nameNotFound("_dnsaddr.missing.test")))
        #expect(
            try await Self.failure(resolver, "/dns4/bad_name!.test/tcp/1")?.reason.description.contains(
                "\"!\" is not allowed") == true)
    }

    @Test func nestedDnsaddrEntriesAreFollowedAndFilteredByPeer() async throws {
        let (a, b) = (Self.peerA.description, Self.peerB.description)
        let server = try await LoopbackDNSServer.start(records: [
            .txt("_dnsaddr.bootstrap.test", ["dnsaddr=/dnsaddr/eu.bootstrap.test/p2p/\(a)"]),
            .txt("_dnsaddr.bootstrap.test", ["dnsaddr=/dnsaddr/us.bootstrap.test/p2p/\(b)"]),
            .txt("_dnsaddr.bootstrap.test", ["dnsaddr=/dnsaddr/any.bootstrap.test"]),
            .txt("_dnsaddr.bootstrap.test", ["not a dnsaddr entry"]),
            .txt("_dnsaddr.eu.bootstrap.test", ["dnsaddr=/ip4/192.0.2.1/tcp/4001/p2p/\(a)"]),
            .txt("_dnsaddr.eu.bootstrap.test", ["dnsaddr=/dns4/node.test/tcp/4002/p2p/\(a)"]),
            .txt("_dnsaddr.us.bootstrap.test", ["dnsaddr=/ip4/198.51.100.1/tcp/4001/p2p/\(b)"]),
            .txt("_dnsaddr.any.bootstrap.test", ["dnsaddr=/ip4/203.0.113.1/tcp/4001/p2p/\(b)"]),
            .txt("_dnsaddr.any.bootstrap.test", ["dnsaddr=/ip4/203.0.113.2/tcp/4001/p2p/\(a)"]),
            .txt("_dnsaddr.any.bootstrap.test", ["dnsaddr=/ip4/203.0.113.3/tcp/4001"]),
            .a("node.test", [192, 0, 2, 2]),
        ])
        defer { Task { await server.close() } }
        let resolver = try Self.resolver([server])
        #expect(
            try await resolver.resolve(try Multiaddr("/dnsaddr/bootstrap.test/p2p/\(a)"))
                == Self.addresses(
                    "/ip4/192.0.2.1/tcp/4001/p2p/\(a)", "/ip4/192.0.2.2/tcp/4002/p2p/\(a)",
                    "/ip4/203.0.113.2/tcp/4001/p2p/\(a)"))
        #expect(
            !server.queries.contains { $0.name == "_dnsaddr.us.bootstrap.test" },
            "an entry for another peer is looked up")
        #expect(
            try await resolver.resolve(try Multiaddr("/dnsaddr/bootstrap.test"))
                == Self.addresses(
                    "/ip4/192.0.2.1/tcp/4001/p2p/\(a)", "/ip4/192.0.2.2/tcp/4002/p2p/\(a)",
                    "/ip4/198.51.100.1/tcp/4001/p2p/\(b)", "/ip4/203.0.113.1/tcp/4001/p2p/\(b)",
                    "/ip4/203.0.113.2/tcp/4001/p2p/\(a)", "/ip4/203.0.113.3/tcp/4001"))
        let stranger = PeerID(publicKey: PrivateKey().publicKey).description
        let error = try await Self.failure(resolver, "/dnsaddr/bootstrap.test/p2p/\(stranger)")
        #expect(error?.reason == .noMatchingEntry(name: "_dnsaddr.bootstrap.test", suffix: "/p2p/\(stranger)"))
        #expect(error?.description.contains("no dnsaddr entry matches /p2p/\(stranger)") == true)
    }

    @Test func aTXTRecordSplitIntoStringsIsJoined() async throws {
        let server = try await LoopbackDNSServer.start(records: [
            .txt("_dnsaddr.split.test", ["dnsaddr=/ip4/192.0.2.1", "/tcp/4001"])
        ])
        defer { Task { await server.close() } }
        #expect(
            try await Self.resolver([server]).resolve(try Multiaddr("/dnsaddr/split.test"))
                == Self.addresses("/ip4/192.0.2.1/tcp/4001"))
    }

    @Test func dnsaddrLoopsAreDetected() async throws {
        let server = try await LoopbackDNSServer.start(records: [
            .txt("_dnsaddr.a.test", ["dnsaddr=/dnsaddr/b.test"]), .txt("_dnsaddr.b.test", ["dnsaddr=/dnsaddr/A.test"]),
            .txt("_dnsaddr.self.test", ["dnsaddr=/dnsaddr/self.test"]), .txt("_dnsaddr.empty.test", ["v=spf1"]),
        ])
        defer { Task { await server.close() } }
        let resolver = try Self.resolver([server])
        let loop = try await Self.failure(resolver, "/dnsaddr/a.test")
        #expect(loop?.reason == .loop(["_dnsaddr.a.test", "_dnsaddr.b.test", "_dnsaddr.A.test"]))
        #expect(
            loop?.description
                == "cannot resolve /dnsaddr/a.test: dnsaddr loop: _dnsaddr.a.test → _dnsaddr.b.test → _dnsaddr.A.test")
        #expect(
            try await Self.failure(resolver, "/dnsaddr/self.test")?.reason
                == .loop(["_dnsaddr.self.test", "_dnsaddr.self.test"]))
        #expect(
            try await Self.failure(resolver, "/dnsaddr/empty.test")?.reason
                == .noEntries(name: "_dnsaddr.empty.test", ignored: []))
        #expect(server.queries.filter { $0.name.lowercased() == "_dnsaddr.a.test" }.count == 1)
    }

    @Test func aWideTreeStopsAtTheLookupLimitKeepingWhatItFound() async throws {
        let leaves = (0..<40).map { index in
            LoopbackDNSServer.Record.txt("_dnsaddr.n\(index).test", ["dnsaddr=/ip4/192.0.2.\(index)/tcp/1"])
        }
        let root = (0..<40).map { LoopbackDNSServer.Record.txt("_dnsaddr.wide.test", ["dnsaddr=/dnsaddr/n\($0).test"]) }
        let server = try await LoopbackDNSServer.start(records: leaves + root, udpLimit: 4096)
        defer { Task { await server.close() } }
        let resolved = try await Self.resolver([server]).resolve(try Multiaddr("/dnsaddr/wide.test"))
        // The root lookup and 31 leaves make the 32 lookups allowed (a query retried after a slow answer on a
        // loaded machine is the same lookup, so names are counted).
        #expect(try resolved == (0..<31).map { try Multiaddr("/ip4/192.0.2.\($0)/tcp/1") })
        #expect(Set(server.queries.map { $0.name.lowercased() }).count == MultiaddrResolver.maximumLookups)
    }

    @Test func aTruncatedAnswerIsAskedAgainOverTCP() async throws {
        let entries = (0..<12).map { "dnsaddr=/ip4/192.0.2.\($0)/tcp/4001/p2p/\(Self.peerA)" }
        let server = try await LoopbackDNSServer.start(records: entries.map { .txt("_dnsaddr.big.test", [$0]) })
        defer { Task { await server.close() } }
        let resolved = try await Self.resolver([server]).resolve(try Multiaddr("/dnsaddr/big.test/p2p/\(Self.peerA)"))
        #expect(resolved.map(\.description) == entries.map { String($0.dropFirst("dnsaddr=".count)) })
        // Each truncated UDP answer is followed by the same question over TCP (a loaded machine may time an
        // attempt out and ask again, so the pair may repeat).
        let transports = server.queries.map(\.overTCP)
        #expect(!transports.isEmpty && transports.count % 2 == 0, "\(transports)")
        #expect(transports.enumerated().allSatisfy { $0.element == ($0.offset % 2 == 1) }, "\(transports)")
    }

    @Test func repliesThatDoNotAnswerTheQueryAreIgnored() async throws {
        let server = try await LoopbackDNSServer.start(
            records: [.a("node.test", [192, 0, 2, 1])], behavior: .decoysFirst)
        defer { Task { await server.close() } }
        let addresses = try await DNSResolver(servers: .list([try DNSServerAddress(server.server)]))
            .ipv4Addresses(of: try DNSName("node.test"))
        #expect(addresses == [[192, 0, 2, 1]])
    }

    @Test func aLostQueryIsSentAgain() async throws {
        let server = try await LoopbackDNSServer.start(
            records: [.a("node.test", [192, 0, 2, 1])], behavior: .dropFirst(1))
        defer { Task { await server.close() } }
        // Only the first query is lost; the spare attempt keeps a slow machine from failing the test.
        let resolver = DNSResolver(
            servers: .list([try DNSServerAddress(server.server)]), timeout: .seconds(1), attempts: 3)
        #expect(try await resolver.ipv4Addresses(of: try DNSName("node.test")) == [[192, 0, 2, 1]])
        #expect(server.queries.count >= 2)
    }

    @Test func aSilentServerTimesOutAndTheNextIsAsked() async throws {
        let silent = try await LoopbackDNSServer.start(records: [.a("node.test", [192, 0, 2, 1])], behavior: .silent)
        let good = try await LoopbackDNSServer.start(records: [.a("node.test", [192, 0, 2, 7])])
        defer { Task { await silent.close() } }
        defer { Task { await good.close() } }
        let name = try DNSName("node.test")
        let alone = DNSResolver(
            servers: .list([try DNSServerAddress(silent.server)]), timeout: .milliseconds(100), attempts: 2)
        await #expect(throws: DNSError.timedOut(name: "node.test", servers: [silent.server])) {
            try await alone.ipv4Addresses(of: name)
        }
        #expect(silent.queries.count == 2, "one query per attempt")
        let both = DNSResolver(
            servers: .list([try DNSServerAddress(silent.server), try DNSServerAddress(good.server)]),
            timeout: .seconds(1))
        #expect(try await both.ipv4Addresses(of: name) == [[192, 0, 2, 7]])
    }
}
