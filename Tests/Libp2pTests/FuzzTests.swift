import DMSNetworkLibp2p
import Foundation
import Libp2pCrypto
import Multiformats
import Testing

@testable import Libp2p

/// Every decoder that reads bytes from a peer, fed random and mutated inputs: it must answer with a value
/// or an error, never crash or hang, and what it accepts must re-encode to the same bytes. The number of
/// inputs per decoder is `NUNET_FUZZ_ITERATIONS` (default 3000); the seed is printed so a failure can be
/// replayed with `NUNET_FUZZ_SEED`.
@Suite struct FuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["NUNET_FUZZ_ITERATIONS"] ?? "") ?? 3000
    static let seed =
        UInt64(ProcessInfo.processInfo.environment["NUNET_FUZZ_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64.max)

    /// xorshift64*: small, fast and reproducible from the seed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
    }

    /// Random bytes, or a valid sample with a few bytes flipped, inserted, removed or truncated.
    func inputs(_ samples: [[UInt8]], maxLength: Int = 96, salt: UInt64) -> [[UInt8]] {
        var generator = Generator(state: Self.seed ^ salt)
        print("fuzz seed \(Self.seed) (salt \(salt))")
        return (0..<Self.iterations).map { _ in
            if samples.isEmpty || Bool.random(using: &generator) {
                return (0..<Int.random(in: 0...maxLength, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
            }
            var bytes = samples.randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                switch Int.random(in: 0..<4, using: &generator) {
                case 0 where !bytes.isEmpty:
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= UInt8.random(
                        in: 1...255, using: &generator)
                case 1:
                    bytes.insert(
                        UInt8.random(in: 0...255, using: &generator),
                        at: Int.random(in: 0...bytes.count, using: &generator))
                case 2 where !bytes.isEmpty: bytes.remove(at: Int.random(in: 0..<bytes.count, using: &generator))
                default: bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
                }
            }
            return bytes
        }
    }

    @Test func varints() {
        for input in inputs([Varint.encode(300), Varint.encode(UInt64.max >> 1)], maxLength: 12, salt: 1) {
            if let (value, length) = try? Varint.decode(input) {
                #expect(Varint.encode(value) == Array(input.prefix(length)))
            }
        }
    }

    @Test func multiaddrs() throws {
        let samples = try [
            "/ip4/127.0.0.1/tcp/4001", "/ip6/::1/udp/9000/quic-v1",
            "/dns4/example.com/tcp/443/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA",
        ].map { try Multiaddr($0).bytes }
        for input in inputs(samples, salt: 2) {
            if let address = try? Multiaddr(bytes: input) {
                #expect(address.bytes == input)
                #expect(try Multiaddr(address.description) == address)
            }
            if let text = String(validating: input, as: UTF8.self) { _ = try? Multiaddr(text) }
        }
    }

    @Test func multistreamMessagesAndNegotiation() {
        let samples = [Multistream.encode(Multistream.header) + Multistream.encode("/noise"), Multistream.encode("ls")]
        for input in inputs(samples, salt: 3) {
            if let (text, length) = try? Multistream.decode(input[...]) {
                #expect(Multistream.encode(text) == Array(input.prefix(length)))
            }
            var responder = MultistreamResponder(protocols: ["/noise"])
            _ = try? responder.receive(input)
            var initiator = MultistreamInitiator(proposals: ["/noise", "/tls/1.0.0"])
            _ = initiator.start()
            _ = try? initiator.receive(input)
        }
    }

    @Test func noiseFramesHandshakesAndPayloads() throws {
        let key = PrivateKey()
        let identity = NoiseIdentity(key)
        let payload = NoiseHandshakePayload(
            identityKey: key.publicKey.protobufBytes, identitySignature: [UInt8](repeating: 1, count: 64),
            streamMuxers: ["/yamux/1.0.0"])
        var initiator = NoiseHandshake(role: .initiator, identity: key)
        let message1 = try initiator.initiatorMessage1()
        for input in inputs([payload.bytes, message1, [0, 32] + message1], maxLength: 200, salt: 4) {
            if let decoded = try? NoiseHandshakePayload(bytes: input) { _ = decoded.bytes }
            var buffer = input
            while NoiseFraming.next(&buffer) != nil {}
            var responder = NoiseHandshake(role: .responder, identity: identity)
            if (try? responder.responderMessage2(after: input)) != nil {
                #expect(throws: NoiseError.self) { try responder.responderFinish(after: input) }
            }
            var dialer = NoiseHandshake(role: .initiator, identity: identity)
            _ = try dialer.initiatorMessage1()
            #expect(throws: NoiseError.self) { try dialer.initiatorMessage3(after: input) }
        }
    }

    @Test func yamuxFramesAndSessions() {
        var sample: [UInt8] = []
        YamuxFrame(.windowUpdate, flags: .syn, streamID: 2, length: 0).encode(into: &sample)
        YamuxFrame(.data, flags: .fin, streamID: 2, length: 3).encode(into: &sample)
        sample += [1, 2, 3]
        YamuxFrame(.ping, flags: .syn, streamID: 0, length: 7).encode(into: &sample)
        for input in inputs([sample], salt: 5) {
            if let frame = try? YamuxFrame.decode(input, at: 0) {
                var encoded: [UInt8] = []
                frame.encode(into: &encoded)
                #expect(encoded == Array(input.prefix(12)))
            }
            var session = YamuxSession(side: .client)
            _ = try? session.receive(input)
            #expect(session.openStreams <= session.configuration.maxInboundStreams)
        }
    }

    @Test func protobufsKeysIdentifyAndPeerIDs() {
        let key = PrivateKey().publicKey
        var identify = Identify.Message()
        identify.publicKey = key.protobufBytes
        identify.protocols = ["/ipfs/ping/1.0.0"]
        identify.agentVersion = "x"
        for input in inputs(
            [
                key.protobufBytes, identify.bytes,
                CID(codec: CID.raw, multihash: Multihash(code: .sha256, digest: Array(repeating: 3, count: 32))).bytes,
            ], salt: 6)
        {
            _ = try? ProtobufReader.fields(input)
            _ = try? PublicKey(protobufBytes: input)
            _ = try? Identify.Message(bytes: input)
            if let cid = try? CID(bytes: input) { #expect(cid.bytes == input) }
            _ = try? PeerID(Base58.encode(input))
        }
    }

    /// DNS answers come from the network: what decodes re-encodes (names uncompressed) to the same message.
    @Test func dnsMessages() throws {
        let name = try DNSName("_dnsaddr.bootstrap.test")
        var answer = DNSMessage.query(id: 9, name: name, type: .txt, udpPayloadSize: 1232)
        answer.isResponse = true
        answer.answers = [
            DNSResourceRecord(name: name, data: .txt([Array("dnsaddr=/ip4/192.0.2.1/tcp/1".utf8)])),
            DNSResourceRecord(name: name, data: .a([192, 0, 2, 1])),
        ]
        // The same answer with its owner names compressed to pointers at the question.
        let plain = try answer.encoded()
        let owner = name.wireLength
        let firstAnswer = 12 + owner + 4
        let secondAnswer = firstAnswer + owner + 10 + 1 + 28
        let compressed =
            Array(plain[..<firstAnswer]) + [0xC0, 12] + plain[(firstAnswer + owner)..<secondAnswer] + [0xC0, 12]
            + plain[(secondAnswer + owner)...]
        #expect(try DNSMessage(decoding: compressed) == answer)
        for input in inputs([plain, compressed], maxLength: 200, salt: 7) {
            if let message = try? DNSMessage(decoding: input) {
                #expect(try DNSMessage(decoding: try message.encoded()) == message)
            }
        }
    }

    @Test func kademliaMessagesAndAdvertisements() throws {
        let peer = PeerID(publicKey: PrivateKey().publicKey)
        let message = KademliaMessage(
            kind: .getValue, key: Array("/nunet-dht-1/-k-x".utf8),
            record: KademliaMessage.Record(key: [1], value: [2], timeReceived: "t"),
            closerPeers: [KademliaMessage.Peer(id: peer, addresses: [try Multiaddr("/ip4/10.0.0.1/tcp/9000")])],
            providerPeers: [KademliaMessage.Peer(id: peer, addresses: [])])
        let advertisement = Advertisement(data: [1, 2, 3], identity: PrivateKey(), timestamp: 1_765_000_000)
        for input in inputs([message.bytes, advertisement.bytes], maxLength: 160, salt: 8) {
            // What is accepted decodes the same after re-encoding (bounds and skipped entries included).
            if let decoded = try? KademliaMessage(bytes: input) {
                #expect(try KademliaMessage(bytes: decoded.bytes) == decoded)
            }
            if let decoded = try? Advertisement(bytes: input) {
                #expect(try Advertisement(bytes: decoded.bytes) == decoded)
                _ = try? decoded.verify()
            }
        }
    }
}
