import Libp2p

extension FuzzTarget {
    /// multistream-select messages and both sides of a negotiation, fed whatever the peer sends.
    static let multistream = FuzzTarget(
        name: "multistream",
        seeds: { [Multistream.encode(Multistream.header) + Multistream.encode("/noise"), Multistream.encode("ls")] },
        run: { input throws(FuzzFailure) in
            if let (text, length) = try? Multistream.decode(input[...]) {
                try require(
                    Multistream.encode(text) == Array(input.prefix(length)), "multistream re-encodes differently")
            }
            var responder = MultistreamResponder(protocols: ["/noise"])
            _ = try? responder.receive(input)
            var initiator = MultistreamInitiator(proposals: ["/noise", "/tls/1.0.0"])
            _ = initiator.start()
            _ = try? initiator.receive(input)
        })
}
