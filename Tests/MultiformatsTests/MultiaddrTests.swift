import Multiformats
import Testing

@Suite struct MultiaddrTests {
    /// Binary forms from the multiaddr registry's codes and sizes.
    @Test(arguments: [
        ("/ip4/127.0.0.1/tcp/4321", "047f0000010610e1"),
        ("/ip4/127.0.0.1/udp/1234", "047f000001910204d2"),
        ("/ip4/127.0.0.1/udp/1234/quic-v1", "047f000001910204d2cd03"),
        ("/ip6/::1/tcp/9000", "2900000000000000000000000000000001062328"),
        ("/ip6/2001:db8::1/tcp/80", "2920010db8000000000000000000000001060050"),
        ("/dns4/example.com/tcp/443", "360b6578616d706c652e636f6d0601bb"),
        ("/dnsaddr/bootstrap.libp2p.io", "3813626f6f7473747261702e6c69627032702e696f"),
        ("/ip4/10.0.0.1/tcp/1/p2p-circuit", "040a000001060001a202"),
    ])
    func textAndBytesRoundTrip(text: String, hex: String) throws {
        let address = try Multiaddr(text)
        #expect(address.description == text)
        #expect(hexString(address.bytes) == hex)
        #expect(try Multiaddr(bytes: address.bytes) == address)
    }

    @Test func peerIDsAreTheirMultihashBytes() throws {
        let peer = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA"
        let multihash = try #require(Base58.decode(peer))
        #expect(multihash.count == 38 && multihash.prefix(2) == [0x00, 0x24])
        let address = try Multiaddr("/ip4/1.2.3.4/tcp/9000/p2p/\(peer)")
        #expect(address.bytes == [0x04, 1, 2, 3, 4, 0x06, 0x23, 0x28, 0xA5, 0x03, 38] + multihash)
        #expect(try Multiaddr(bytes: address.bytes).description == address.description)
    }

    @Test func legacyIPFSAndCIDPeerIDsAreAccepted() throws {
        let peer = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA"
        let legacy = try Multiaddr("/ip4/1.2.3.4/tcp/1/ipfs/\(peer)")
        #expect(legacy.description == "/ip4/1.2.3.4/tcp/1/p2p/\(peer)")
        let multihash = try #require(PeerIDText.multihash(peer))
        let cid = CID(codec: CID.libp2pKey, multihash: try Multihash(decoding: multihash))
        #expect(try Multiaddr("/p2p/\(cid)").components == [.p2p(multihash)])
        #expect(try CID(bytes: cid.bytes) == cid)
        #expect(cid.description.hasPrefix("b"))
    }

    @Test func peerAndEndpointAreSplitOff() throws {
        let address = try Multiaddr("/ip4/127.0.0.1/tcp/9000/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")
        let (transport, peer) = address.splittingPeer
        #expect(transport.description == "/ip4/127.0.0.1/tcp/9000")
        #expect(peer != nil)
        #expect(transport.tcpEndpoint! == ("127.0.0.1", 9000))
        #expect(try Multiaddr("/ip6/::1/tcp/5").tcpEndpoint! == ("::1", 5))
        #expect(try Multiaddr("/ip4/127.0.0.1/udp/5").tcpEndpoint == nil)
    }

    @Test(arguments: [
        ("ip4/1.2.3.4", "starts with /"),
        ("/ip4/1.2.3", "not an IPv4 address"),
        ("/ip4/1.2.3.4/tcp/70000", "a port is an integer"),
        ("/ip4/1.2.3.4/tcp", "/tcp needs a value"),
        ("/ip4/1.2.3.4/frob/1", "unknown protocol \"frob\""),
        ("/p2p/notapeer", "not a peer ID"),
        ("/", "no protocols"),
    ])
    func malformedTextNamesTheRule(text: String, rule: String) {
        #expect {
            try Multiaddr(text)
        } throws: { error in
            "\(error)".contains(rule) && "\(error)".contains(text)
        }
    }

    @Test func malformedBytesAreRefused() {
        for bytes: [UInt8] in [
            [], [0x04, 1, 2], [0x06], [0xFF, 0xFF], [0x36, 0x05, 0x61], [0xA5, 0x03, 0x02, 0x12, 0x20],
        ] {
            #expect(throws: MultiaddrError.self) { try Multiaddr(bytes: bytes) }
        }
    }

    private func hexString(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
