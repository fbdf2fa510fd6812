import Libp2pCrypto
import Multiformats
import NunetTestSupport
import Testing

@testable import Libp2p

/// The libp2p mDNS packets: the query's exact bytes, responses read back as go-libp2p would send them, and
/// hostile bytes, which must decode to an error or to nothing rather than crash.
@Suite struct MDNSPacketTests {
    static func label(_ text: String) -> [UInt8] { [UInt8(text.utf8.count)] + Array(text.utf8) }

    static func peer() -> PeerID { PeerID(publicKey: PrivateKey().publicKey) }

    @Test func theQueryAsksForThePTRRecordsOfTheLibp2pService() throws {
        let expected: [UInt8] =
            [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
            + Self.label("_p2p") + Self.label("_udp") + Self.label("local") + [0, 0x00, 0x0C, 0x00, 0x01]
        #expect(try MDNSPacket.query() == expected)
        let decoded = try DNSMessage(decoding: expected)
        #expect(MDNSPacket.asksForService(decoded))
        var other = decoded
        other.questions[0].name = try DNSName("_ipfs._udp.local")
        #expect(!MDNSPacket.asksForService(other))
        other = decoded
        other.isResponse = true
        #expect(!MDNSPacket.asksForService(other))
    }

    @Test func aResponseAnnouncesTheTCPAddressesAndReadsBack() throws {
        let peer = Self.peer()
        let addresses = try [
            "/ip4/192.0.2.7/tcp/9000", "/ip6/2001:db8::7/tcp/9000", "/dns4/node.test/tcp/9000",
            "/ip4/192.0.2.7/udp/9000/quic-v1",
        ].map { try Multiaddr($0) }
        let label = MDNSPacket.randomLabel()
        #expect((32...63).contains(label.count))
        let bytes = try #require(try MDNSPacket.response(label: label, peer: peer, addresses: addresses))
        let message = try DNSMessage(decoding: bytes)
        #expect(message.isResponse && message.isAuthoritative)
        let instance = DNSName(checkedLabels: [label] + MDNSPacket.serviceName.labels)
        #expect(message.answers == [DNSResourceRecord(name: MDNSPacket.serviceName, ttl: 120, data: .ptr(instance))])
        let txt = try #require(message.additionals.first { $0.type == .txt })
        #expect(
            txt.data
                == .txt([
                    Array("dnsaddr=/ip4/192.0.2.7/tcp/9000/p2p/\(peer)".utf8),
                    Array("dnsaddr=/ip6/2001:db8::7/tcp/9000/p2p/\(peer)".utf8),
                ]))
        // go-libp2p's zeroconf browser wants the SRV and an address record beside the TXT.
        let srv = try #require(message.additionals.first { $0.type == .srv })
        guard case .other(_, let srvData) = srv.data else { throw MDNSTestFailure("SRV not kept as bytes") }
        #expect(Array(srvData.prefix(6)) == [0, 0, 0, 0, 0x23, 0x28])
        #expect(message.additionals.contains { $0.data == .a([192, 0, 2, 7]) })
        #expect(message.additionals.contains { $0.type == .aaaa })

        #expect(
            MDNSPacket.peers(in: message, excluding: Self.peer())
                == [MDNSPeer(peer: peer, addresses: Array(addresses.prefix(2)))])
        #expect(MDNSPacket.peers(in: message, excluding: peer).isEmpty)
    }

    @Test func nothingToAnnounceMeansNoResponse() throws {
        let addresses = [try Multiaddr("/dns4/node.test/tcp/9000")]
        #expect(
            try MDNSPacket.response(label: MDNSPacket.randomLabel(), peer: Self.peer(), addresses: addresses) == nil)
    }

    /// TXT strings in separate records, in the answer section, beside entries that do not parse and an
    /// instance no PTR names: the good addresses are read, the rest skipped.
    @Test func entriesAreReadWhereverTheySitAndBadOnesAreSkipped() throws {
        let first = Self.peer()
        let second = Self.peer()
        let instance = try DNSName("abc._p2p._udp.local")
        let unnamed = try DNSName("zzz._p2p._udp.local")
        func txt(_ name: DNSName, _ strings: [String]) -> DNSResourceRecord {
            DNSResourceRecord(name: name, ttl: 120, data: .txt(strings.map { Array($0.utf8) }))
        }
        var message = DNSMessage(
            id: 0, isResponse: true,
            answers: [
                DNSResourceRecord(name: MDNSPacket.serviceName, ttl: 120, data: .ptr(instance)),
                txt(instance, ["dnsaddr=/ip4/192.0.2.1/tcp/4001/p2p/\(first)"]),
            ],
            additionals: [
                txt(instance, ["dnsaddr=garbage", "other=value", "dnsaddr=/ip4/192.0.2.1/tcp/4001"]),
                txt(instance, ["dnsaddr=/ip4/192.0.2.2/tcp/4001/p2p/\(second)"]),
                txt(instance, ["dnsaddr=/ip4/192.0.2.1/tcp/4001/p2p/\(first)"]),
                txt(unnamed, ["dnsaddr=/ip4/192.0.2.9/tcp/4001/p2p/\(Self.peer())"]),
            ])
        let decoded = try DNSMessage(decoding: try message.encoded())
        #expect(
            MDNSPacket.peers(in: decoded, excluding: Self.peer()) == [
                MDNSPeer(peer: first, addresses: [try Multiaddr("/ip4/192.0.2.1/tcp/4001")]),
                MDNSPeer(peer: second, addresses: [try Multiaddr("/ip4/192.0.2.2/tcp/4001")]),
            ])
        // A query carrying the same records announces nothing.
        message.isResponse = false
        #expect(MDNSPacket.peers(in: message, excluding: Self.peer()).isEmpty)
    }

    /// Random bytes, and a real response cut short or with bytes flipped, go through what the socket does
    /// with a datagram: decode, then either answer or read peers. Nothing may crash or exceed the bounds.
    @Test func hostileBytesAreRejectedOrHarmless() throws {
        var generator = SeededGenerator(seed: 0x6D64_6E73)
        let peer = Self.peer()
        let addresses = [try Multiaddr("/ip4/192.0.2.7/tcp/9000")]
        let valid = try #require(try MDNSPacket.response(label: Array("x".utf8), peer: peer, addresses: addresses))
        var samples: [[UInt8]] = (0..<2000).map { _ in
            (0..<Int.random(in: 0...600, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        for _ in 0..<2000 {
            var mutated = Array(valid.prefix(Int.random(in: 0...valid.count, using: &generator)))
            if !mutated.isEmpty {
                mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(
                    in: 0...255, using: &generator)
            }
            samples.append(mutated)
        }
        for sample in samples {
            guard let message = try? DNSMessage(decoding: sample) else { continue }
            _ = MDNSPacket.asksForService(message)
            for found in MDNSPacket.peers(in: message, excluding: Self.peer()) {
                #expect(found.addresses.count <= MDNSPacket.maximumAddresses)
            }
        }
    }
}

struct MDNSTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
