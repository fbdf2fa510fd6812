import Multiformats

extension FuzzTarget {
    /// Varints prefix every length on the wire: what decodes re-encodes to the bytes it was read from.
    static let varint = FuzzTarget(
        name: "varint", maxLength: 12, seeds: { [Varint.encode(300), Varint.encode(UInt64.max >> 1)] },
        run: { input throws(FuzzFailure) in
            if let (value, length) = try? Varint.decode(input) {
                try require(Varint.encode(value) == Array(input.prefix(length)), "varint re-encodes differently")
            }
        })

    /// Multiaddresses arrive in identify, the DHT and peer records (binary) and in configuration (text).
    static let multiaddr = FuzzTarget(
        name: "multiaddr",
        seeds: {
            try [
                "/ip4/127.0.0.1/tcp/4001", "/ip6/::1/udp/9000/quic-v1",
                "/dns4/example.com/tcp/443/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA",
            ].map { try Multiaddr($0).bytes }
        },
        run: { input throws(FuzzFailure) in
            if let address = try? Multiaddr(bytes: input) {
                try require(address.bytes == input, "multiaddr \(address) re-encodes differently")
                try require(
                    (try? Multiaddr(address.description)) == address, "multiaddr \(address) does not parse back")
            }
            if let text = String(validating: input, as: UTF8.self) { _ = try? Multiaddr(text) }
        })
}
