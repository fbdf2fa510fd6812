import Libp2pCrypto
import Testing

/// Keys and peer IDs as libp2p defines them: what every handshake and signed record relies on.
@Suite struct PeerIDTests {
    @Test func anEd25519PeerIDInlinesItsKeyAndReadsBack() throws {
        let key = PrivateKey()
        let peer = PeerID(publicKey: key.publicKey)
        #expect(peer.description.hasPrefix("12D3KooW"))
        let parsed = try PeerID(peer.description)
        #expect(parsed == peer)
        #expect(try parsed.publicKey() == key.publicKey)
        #expect(parsed.matches(key.publicKey))
        #expect(!parsed.matches(PrivateKey().publicKey))
    }

    @Test func signaturesVerifyOnlyForTheirDataAndKey() throws {
        let key = PrivateKey()
        let data = Array("libp2p-pubsub:hello".utf8)
        let signature = key.sign(data)
        #expect(try key.publicKey.isValidSignature(signature, for: data))
        #expect(try !key.publicKey.isValidSignature(signature, for: data + [0]))
        #expect(try !PrivateKey().publicKey.isValidSignature(signature, for: data))
    }

    /// The protobuf forms round-trip, so a key in a keystore or a handshake is the same key after reading.
    @Test func keysRoundTripThroughTheirProtobufs() throws {
        let key = PrivateKey()
        #expect(try PrivateKey(protobufBytes: key.protobufBytes).seed == key.seed)
        #expect(try PublicKey(protobufBytes: key.publicKey.protobufBytes) == key.publicKey)
        #expect(try PrivateKey(seed: key.seed).publicKey == key.publicKey)
    }

    @Test func malformedPeerIDsAreRefused() {
        for text in ["", "not-a-peer", "12D3KooW", "Qm"] {
            #expect(throws: CryptoError.self, "\(text)") { try PeerID(text) }
        }
    }
}
