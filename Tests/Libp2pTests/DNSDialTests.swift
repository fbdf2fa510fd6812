import Libp2pCrypto
import Multiformats
import NunetTestSupport
import Testing

@testable import Libp2p

/// A host dialling a `/dnsaddr` bootstrap address as the Go DMS's defaults are written, against a DNS server
/// and a listening host on loopback.
@Suite struct DNSDialTests {
    static func dialer(_ server: LoopbackDNSServer) throws -> Libp2pHost {
        var configuration = Libp2pHost.Configuration()
        configuration.resolver = MultiaddrResolver(
            dns: DNSResolver(servers: .list([try DNSServerAddress(server.server)]), timeout: .seconds(5)))
        return Libp2pHost(identity: PrivateKey(), configuration: configuration)
    }

    @Test func aDnsaddrBootstrapPeerIsResolvedDialledAndPinged() async throws {
        let (listener, address) = try await HostFixtures.listening()
        let port = try #require(address.tcpEndpoint?.port)
        let decoy = PeerID(publicKey: PrivateKey().publicKey)
        let server = try await LoopbackDNSServer.start(records: [
            .txt("_dnsaddr.bootstrap.test", ["dnsaddr=/ip4/127.0.0.1/tcp/\(port)/p2p/\(decoy)"]),
            .txt("_dnsaddr.bootstrap.test", ["dnsaddr=/ip4/127.0.0.1/tcp/\(port)/p2p/\(listener.peerID)"]),
        ])
        let dialer = try Self.dialer(server)
        let bootstrap = Multiaddr([.dnsaddr("bootstrap.test"), .p2p(listener.peerID.bytes)])

        #expect(try await dialer.configuration.resolver.resolve(bootstrap) == [address], "the decoy's entry is kept")
        let connection = try await dialer.connect(bootstrap)
        #expect(connection.remotePeer == listener.peerID)
        #expect(try await dialer.ping(listener.peerID) < .seconds(5))
        #expect(dialer.peerStore.record(listener.peerID)?.addresses.contains(address.splittingPeer.address) == true)

        await dialer.close()
        await listener.close()
        await server.close()
    }

    @Test func failuresNameTheAddressAsGiven() async throws {
        let (listener, address) = try await HostFixtures.listening()
        let port = try #require(address.tcpEndpoint?.port)
        let closedPort = LoopbackNetwork.freePort()
        let server = try await LoopbackDNSServer.start(records: [
            .txt(
                "_dnsaddr.only-decoy.test",
                ["dnsaddr=/ip4/127.0.0.1/tcp/\(port)/p2p/\(PeerID(publicKey: PrivateKey().publicKey))"]),
            .txt("_dnsaddr.closed.test", ["dnsaddr=/ip4/127.0.0.1/tcp/\(closedPort)/p2p/\(listener.peerID)"]),
        ])
        let dialer = try Self.dialer(server)

        let onlyDecoy = Multiaddr([.dnsaddr("only-decoy.test"), .p2p(listener.peerID.bytes)])
        await #expect(
            throws: Libp2pError.dialFailed(
                onlyDecoy.description,
                "no dnsaddr entry matches /p2p/\(listener.peerID) (at _dnsaddr.only-decoy.test)")
        ) {
            try await dialer.connect(onlyDecoy)
        }
        let closed = Multiaddr([.dnsaddr("closed.test"), .p2p(listener.peerID.bytes)])
        await #expect {
            try await dialer.connect(closed)
        } throws: { error in
            guard case .dialFailed(let named, let reason)? = error as? Libp2pError else { return false }
            return named == closed.description && reason.contains("/ip4/127.0.0.1/tcp/\(closedPort)/p2p/")
        }
        #expect(dialer.connectedPeers.isEmpty)

        await dialer.close()
        await listener.close()
        await server.close()
    }
}
