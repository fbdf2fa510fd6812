import Libp2pCrypto
import Testing

@testable import Libp2p

/// Go peers may have RSA (NuNet's bootstrap nodes) or ECDSA identities: the handshake must authenticate them
/// whichever side dials, and refuse them when their key did not sign the static key or is not the one expected.
@Suite struct NoisePeerKeyTests {
    /// The three messages of an XX handshake; both outcomes.
    func handshake(dialer: NoiseIdentity, listener: NoiseIdentity, expecting: PeerID) throws -> (
        dialer: NoiseHandshake.Outcome, listener: NoiseHandshake.Outcome
    ) {
        var initiator = NoiseHandshake(
            role: .initiator, identity: dialer, expectedPeer: expecting, muxers: ["/yamux/1.0.0"])
        var responder = NoiseHandshake(role: .responder, identity: listener, muxers: ["/yamux/1.0.0"])
        let message2 = try responder.responderMessage2(after: try initiator.initiatorMessage1())
        let (message3, dialerOutcome) = try initiator.initiatorMessage3(after: message2)
        return (dialerOutcome, try responder.responderFinish(after: message3))
    }

    @Test(arguments: [KeyType.rsa, .ecdsa])
    func aPeerWithThisKeyTypeIsAuthenticatedWhicheverSideDials(_ type: KeyType) throws {
        let (remote, goPeerID) = try PeerKeyFixtures.signer(type)
        let peer = try NoiseIdentity(publicKey: remote.publicKey, sign: remote.sign)
        let dms = NoiseIdentity(PrivateKey())
        let dmsPeer = PeerID(publicKey: dms.publicKey)
        #expect(remote.peerID.description == goPeerID)

        let dialing = try handshake(dialer: dms, listener: peer, expecting: try PeerID(goPeerID))
        #expect(dialing.dialer.remotePeer.description == goPeerID)
        #expect(dialing.dialer.remoteKey == remote.publicKey)
        #expect(dialing.listener.remotePeer == dmsPeer)

        let dialed = try handshake(dialer: peer, listener: dms, expecting: dmsPeer)
        #expect(dialed.listener.remotePeer.description == goPeerID)
        #expect(dialed.listener.remoteKey.type == type)
        #expect(dialed.listener.remoteMuxers == ["/yamux/1.0.0"])

        // The session keys agree: what one side seals, the other opens.
        var sending = dialed.dialer.transport
        var receiving = dialed.listener.transport
        var wire = try sending.seal(Array("hello".utf8))
        #expect(try receiving.open(&wire) == Array("hello".utf8))
    }

    @Test(arguments: [KeyType.rsa, .ecdsa])
    func aKeyThatDidNotSignTheStaticKeyIsRefused(_ type: KeyType) throws {
        let (remote, _) = try PeerKeyFixtures.signer(type)
        // A signature by the right key over the wrong bytes, as an impostor replaying it would send.
        let impostor = try NoiseIdentity(publicKey: remote.publicKey) { _ in
            try remote.sign(Noise.signaturePrefix + [UInt8](repeating: 9, count: 32))
        }
        let dms = NoiseIdentity(PrivateKey())
        #expect(throws: NoiseError.invalidIdentitySignature) {
            try handshake(dialer: dms, listener: impostor, expecting: remote.peerID)
        }
        #expect(throws: NoiseError.invalidIdentitySignature) {
            try handshake(dialer: impostor, listener: dms, expecting: PeerID(publicKey: dms.publicKey))
        }
    }

    @Test func aDialerExpectingAnotherPeerRefusesAnRSAPeer() throws {
        let (rsa, goPeerID) = try PeerKeyFixtures.signer(.rsa)
        let (ecdsa, _) = try PeerKeyFixtures.signer(.ecdsa)
        let peer = try NoiseIdentity(publicKey: rsa.publicKey, sign: rsa.sign)
        #expect(throws: NoiseError.peerMismatch(expected: ecdsa.peerID.description, actual: goPeerID)) {
            try handshake(dialer: NoiseIdentity(PrivateKey()), listener: peer, expecting: ecdsa.peerID)
        }
    }
}
