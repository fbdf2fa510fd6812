import Libp2p
import Libp2pCrypto

extension FuzzTarget {
    /// The key every Noise input is answered with (generated once: key generation would dominate the run).
    private static let noiseKey = PrivateKey()
    private static let noiseIdentity = NoiseIdentity(noiseKey)

    /// Noise frames, handshake payloads and handshake messages 1 to 3 from a peer that may be anyone.
    static let noise = FuzzTarget(
        name: "noise", maxLength: 200,
        seeds: {
            let payload = NoiseHandshakePayload(
                identityKey: noiseKey.publicKey.protobufBytes, identitySignature: [UInt8](repeating: 1, count: 64),
                streamMuxers: ["/yamux/1.0.0"])
            var initiator = NoiseHandshake(role: .initiator, identity: noiseKey)
            let message1 = try initiator.initiatorMessage1()
            return [payload.bytes, message1, [0, 32] + message1]
        },
        run: { input throws(FuzzFailure) in
            let identity = noiseIdentity
            if let decoded = try? NoiseHandshakePayload(bytes: input) { _ = decoded.bytes }
            var buffer = input
            while NoiseFraming.next(&buffer) != nil {}
            var responder = NoiseHandshake(role: .responder, identity: identity)
            if (try? responder.responderMessage2(after: input)) != nil {
                // The same bytes cannot also be a valid message 3, encrypted under keys only the responder made.
                try require(
                    (try? responder.responderFinish(after: input)) == nil, "noise accepted message 1 as message 3")
            }
            var dialer = NoiseHandshake(role: .initiator, identity: identity)
            guard (try? dialer.initiatorMessage1()) != nil else { throw FuzzFailure("noise message 1 failed") }
            try require((try? dialer.initiatorMessage3(after: input)) == nil, "noise accepted a forged message 2")
        })
}
