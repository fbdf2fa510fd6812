import DMSActor

extension FuzzTarget {
    /// Envelopes reach an actor from any peer (and through the REST relay): what decodes encodes back to
    /// an envelope that decodes the same.
    static let envelope = FuzzTarget(
        name: "envelope", maxLength: 256, seeds: { GoSamples.envelopes.map { Array($0.utf8) } },
        run: { input throws(FuzzFailure) in
            guard let envelope = try? Envelope(decoding: input) else { return }
            try require((try? Envelope(decoding: envelope.encoding)) == envelope, "envelope re-decodes differently")
            _ = envelope.isBroadcast
        })
}
