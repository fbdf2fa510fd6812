import Libp2p

extension FuzzTarget {
    /// DNS answers come from the network: what decodes re-encodes (names uncompressed) to the same message.
    static let dns = FuzzTarget(
        name: "dns", maxLength: 200, seeds: { [dnsAnswer(compressed: true), dnsAnswer(compressed: false)] },
        run: { input throws(FuzzFailure) in
            if let message = try? DNSMessage(decoding: input) {
                let again = (try? message.encoded()).flatMap { try? DNSMessage(decoding: $0) }
                try require(again == message, "DNS message re-decodes differently")
            }
        })

    /// A TXT and an A answer for `_dnsaddr.bootstrap.test`, the owner names either pointers to the question
    /// or written out.
    private static func dnsAnswer(compressed: Bool) -> [UInt8] {
        let name: [UInt8] =
            [8] + Array("_dnsaddr".utf8) + [9] + Array("bootstrap".utf8) + [4] + Array("test".utf8) + [0]
        let owner: [UInt8] = compressed ? [0xC0, 12] : name
        let text = Array("dnsaddr=/ip4/192.0.2.1/tcp/1".utf8)
        let ttl: [UInt8] = [0, 0, 0x0E, 0x10]
        return [0, 9, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0] + name + [0, 16, 0, 1]
            + owner + [0, 16, 0, 1] + ttl + [0, UInt8(text.count + 1), UInt8(text.count)] + text
            + owner + [0, 1, 0, 1] + ttl + [0, 4, 192, 0, 2, 1]
    }
}
