import Libp2p

extension FuzzTarget {
    /// yamux frames and a client session fed a peer's bytes: frames re-encode, streams stay bounded.
    static let yamux = FuzzTarget(
        name: "yamux",
        seeds: {
            var sample: [UInt8] = []
            YamuxFrame(.windowUpdate, flags: .syn, streamID: 2, length: 0).encode(into: &sample)
            YamuxFrame(.data, flags: .fin, streamID: 2, length: 3).encode(into: &sample)
            sample += [1, 2, 3]
            YamuxFrame(.ping, flags: .syn, streamID: 0, length: 7).encode(into: &sample)
            return [sample]
        },
        run: { input throws(FuzzFailure) in
            if let frame = try? YamuxFrame.decode(input, at: 0) {
                var encoded: [UInt8] = []
                frame.encode(into: &encoded)
                try require(encoded == Array(input.prefix(12)), "yamux frame re-encodes differently")
            }
            var session = YamuxSession(side: .client)
            _ = try? session.receive(input)
            try require(session.openStreams <= session.configuration.maxInboundStreams, "yamux opened too many streams")
        })
}
