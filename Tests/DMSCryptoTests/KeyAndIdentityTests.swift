import DMSCore
import DMSCrypto
import Foundation
import Testing

@Suite struct KeyAndIdentityTests {
    /// Identities computed by Go's crypto/ed25519 (see DMSCapabilitiesTests/GoVectors/generate.go).
    static let goIdentities: [(seed: String, publicKey: String, protobuf: String, did: String, peerID: String)] = [
        (
            "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20",
            "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664",
            "0801122079b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664",
            "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7",
            "12D3KooWJ1TsijH7H5F74hfAD5XishQz3sxrmAtVY37GtNd9CqYf"
        ),
        (
            "c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7",
            "32b53e882e3daac180d7a5f6224d61b6401b43f901db09f0e4d84ce4e4a2718b",
            "0801122032b53e882e3daac180d7a5f6224d61b6401b43f901db09f0e4d84ce4e4a2718b",
            "did:key:z6MkhsCivq5djTzhUVv9fBLJgqJ545TVQUxFKEJnb7vVQ7tn",
            "12D3KooWDEJr5iQuapmimtascD7ocXpuiqEH2HnNaokt8q7NNqqL"
        ),
    ]

    @Test func ed25519KeysMatchGoForProtobufDIDAndPeerID() throws {
        for vector in Self.goIdentities {
            let key = try PrivateKey(seed: Hex.decode(vector.seed)!)
            #expect(Hex.encode(key.publicKey.raw) == vector.publicKey)
            #expect(Hex.encode(key.publicKey.protobufBytes) == vector.protobuf)
            #expect(DID(publicKey: key.publicKey).uri == vector.did)
            #expect(PeerID(publicKey: key.publicKey).description == vector.peerID)
            #expect(try DID(vector.did).publicKey() == key.publicKey)
            #expect(try PeerID(vector.peerID).publicKey() == key.publicKey)
            #expect(try PublicKey(protobufBytes: Hex.decode(vector.protobuf)!) == key.publicKey)
        }
    }

    @Test func signaturesVerifyAndAnyChangeBreaksThem() throws {
        let key = PrivateKey()
        let message = Array("dms:msg:hello".utf8)
        let signature = key.sign(message)
        #expect(try key.publicKey.isValidSignature(signature, for: message))
        for index in signature.indices {
            var tampered = signature
            tampered[index] ^= 0x01
            #expect(try !key.publicKey.isValidSignature(tampered, for: message))
        }
        #expect(try !key.publicKey.isValidSignature(signature, for: message + [0]))
        #expect(try !PrivateKey().publicKey.isValidSignature(signature, for: message))
    }

    @Test func privateKeyProtobufRoundTripsAsGoLibp2pMarshalsIt() throws {
        let key = PrivateKey()
        let encoded = key.protobufBytes
        #expect(Array(encoded.prefix(4)) == [0x08, 0x01, 0x12, 0x40])
        #expect(try PrivateKey(protobufBytes: encoded).publicKey == key.publicKey)
        var mismatched = encoded
        mismatched[mismatched.count - 1] ^= 1
        #expect(throws: CryptoError.invalidKey("the embedded public key does not match the seed")) {
            try PrivateKey(protobufBytes: mismatched)
        }
        #expect(throws: CryptoError.self) { try PrivateKey(protobufBytes: [0x08, 0x02, 0x12, 0x01, 0x00]) }
    }

    @Test(arguments: [
        ("not a did", "a DID has the form did:<method>:<identifier>"),
        ("did:key:", "a DID has the form"),
        ("did:KEY:z6Mk", "the method name must be lowercase"),
        ("did:key:abc", "must be base58btc multibase"),
        ("did:key:z0OIl", "not valid base58btc"),
        ("did:key:z2DQUyFVAEfvDjYRPtvHSJtztMsCSrYpntBE51RxhhkqQhb", "has 32 bytes, got 31"),
        ("did:key:zDnaeQRywL8RCtEJDKtCyC1VdhMZrFLqPnRJ6udCLK3MvA4ut", "unknown multicodec 0x1200"),
    ])
    func malformedDIDsAreRefusedWithTheReason(did: String, reason: String) {
        let error = #expect(throws: CryptoError.self) { try DID.key(did) }
        #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
    }

    @Test func otherDIDMethodsAreValidSyntaxButCannotBeResolved() throws {
        let did = try DID("did:prism:abc123")
        let error = #expect(throws: CryptoError.self) { try did.publicKey() }
        #expect(error?.description.contains("only did:key is supported") == true)
    }

    @Test func theNuNetNetworkDIDIsAnEthereumKey() throws {
        let key = try DID.key("did:key:zzCHUybNYmK8QsttZwXqUX8aDLoBGHnMCakDX2RpsGwmXmYHEW").publicKey()
        #expect(key.type == .eth)
        #expect(key.raw.count == 33)
    }

    @Test func peerIDsParseFromBase58AndCIDFormsAndRejectGarbage() throws {
        let key = PrivateKey().publicKey
        let peer = PeerID(publicKey: key)
        #expect(peer.description.hasPrefix("12D3KooW"))
        #expect(try PeerID(peer.description) == peer)
        let cid = Multibase32CID.encode(peer)
        #expect(try PeerID(cid) == peer)
        #expect(throws: CryptoError.self) { try PeerID("12D3KooW0OIl") }
        #expect(throws: CryptoError.self) { try PeerID("hello") }
        #expect(peer.matches(key))
        #expect(!peer.matches(PrivateKey().publicKey))
    }
}

/// The CIDv1 text form of a peer ID (`b` + base32 of 0x01 0x72 ‖ multihash), built independently of PeerID.
enum Multibase32CID {
    static func encode(_ peer: PeerID) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var bits = 0
        var buffer = 0
        var output = "b"
        for byte in [0x01, 0x72] + peer.bytes {
            buffer = buffer << 8 | Int(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                output.append(alphabet[(buffer >> bits) & 31])
            }
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return output
    }
}
