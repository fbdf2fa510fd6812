import Libp2pCrypto
import Testing

/// Peers may hold any of libp2p's four key types (NuNet's bootstrap nodes are RSA): each key must read as
/// go-libp2p marshals it, hash to the peer ID go-libp2p gives it, and verify go-libp2p's signatures.
@Suite struct PeerKeyTypeTests {
    static let types: [(name: String, type: KeyType, prefix: String)] = [
        ("rsa", .rsa, "Qm"), ("ecdsa", .ecdsa, "Qm"), ("secp256k1", .secp256k1, "16Uiu2HA"),
        ("ed25519", .ed25519, "12D3KooW"),
    ]

    @Test(arguments: types.map(\.name))
    func goKeysReadBackAndHashToGosPeerIDs(_ name: String) throws {
        let expected = try #require(Self.types.first { $0.name == name })
        let protobuf = PeerKeyVectors.bytes(name, "public_key_protobuf")
        let key = try PublicKey(protobufBytes: protobuf)
        #expect(key.type == expected.type)
        #expect(key.protobufBytes == protobuf, "the protobuf round-trips byte for byte")
        let peer = PeerID(publicKey: key)
        let goPeer = PeerKeyVectors.field(name, "peer_id")
        #expect(peer.description == goPeer)
        #expect(goPeer.hasPrefix(expected.prefix))
        #expect(try PeerID(goPeer) == peer)
        #expect(peer.matches(key))
        if protobuf.count > 42 {
            // A SHA-256 peer ID does not carry its key: it must come with the handshake or the message.
            #expect(peer.multihash.code == .sha256)
            #expect(throws: CryptoError.self) { try peer.publicKey() }
        } else {
            #expect(try peer.publicKey() == key)
        }
    }

    @Test(arguments: types.map(\.name))
    func goSignaturesVerifyAndTamperedOnesDoNot(_ name: String) throws {
        let key = try PublicKey(protobufBytes: PeerKeyVectors.bytes(name, "public_key_protobuf"))
        guard key.type != .secp256k1 || PublicKey.canVerifySecp256k1 else {
            print("skipping the secp256k1 signatures: libsecp256k1 is not installed (apt install libsecp256k1-dev)")
            return
        }
        let message = PeerKeyVectors.message
        let signature = PeerKeyVectors.bytes(name, "signature")
        #expect(try key.isValidSignature(signature, for: message))
        #expect(try !key.isValidSignature(PeerKeyVectors.bytes(name, "tampered_signature"), for: message))
        #expect(try !key.isValidSignature(signature, for: message + [0]))
        #expect(try !key.isValidSignature(Array(signature.dropLast()), for: message))
        #expect(try !key.isValidSignature([], for: message))
    }

    /// A signature is checked with its own key type only: another type's signature over the same message fails.
    @Test func signaturesDoNotCrossKeyTypes() throws {
        let rsa = try PublicKey(protobufBytes: PeerKeyVectors.bytes("rsa", "public_key_protobuf"))
        let ecdsa = try PublicKey(protobufBytes: PeerKeyVectors.bytes("ecdsa", "public_key_protobuf"))
        let message = PeerKeyVectors.message
        #expect(try !rsa.isValidSignature(PeerKeyVectors.bytes("ecdsa", "signature"), for: message))
        #expect(try !ecdsa.isValidSignature(PeerKeyVectors.bytes("rsa", "signature"), for: message))
    }

    /// go-libp2p refuses these keys, and the error says which rule the key broke.
    @Test func keysGoRefusesAreRefusedWithTheRuleTheyBreak() throws {
        func refusal(_ name: String) -> String? {
            let error = #expect(throws: CryptoError.self) {
                try PublicKey(protobufBytes: PeerKeyVectors.bytes("refused", name))
            }
            return error?.description
        }
        #expect(
            refusal("rsa_1024_public_key_protobuf")
                == "invalid key: an RSA public key must be at least 2048 bits, got 1024")
        #expect(
            refusal("rsa_8200_public_key_protobuf")
                == "invalid key: an RSA public key must be at most 8192 bits, got 8200")
        #expect(
            refusal("rsa_pkcs1_public_key_protobuf")
                == "invalid key: RSA public key data must be a DER PKIX SubjectPublicKeyInfo, "
                + "but its algorithm identifier is missing")
        #expect(
            refusal("ecdsa_p384_public_key_protobuf")
                == "invalid key: an ECDSA public key must be on P-256 (1.2.840.10045.3.1.7), got P-384 (1.3.132.0.34)")
    }

    @Test func malformedAndMislabelledKeysAreRefused() throws {
        let rsa = try PublicKey(protobufBytes: PeerKeyVectors.bytes("rsa", "public_key_protobuf")).raw
        let ecdsa = try PublicKey(protobufBytes: PeerKeyVectors.bytes("ecdsa", "public_key_protobuf")).raw
        func refusal(_ type: KeyType, _ raw: [UInt8]) -> String? {
            (#expect(throws: CryptoError.self) { try PublicKey(type: type, raw: raw) })?.description
        }
        #expect(
            refusal(.ecdsa, rsa)
                == "invalid key: an ECDSA public key must have the id-ecPublicKey algorithm (1.2.840.10045.2.1), got 1.2.840.113549.1.1.1"
        )
        #expect(
            refusal(.rsa, ecdsa)
                == "invalid key: an RSA public key must have the rsaEncryption algorithm (1.2.840.113549.1.1.1), got 1.2.840.10045.2.1"
        )
        #expect(refusal(.rsa, [1])?.contains("it is not a single DER SEQUENCE") == true)
        #expect(refusal(.rsa, rsa + [0])?.contains("it is not a single DER SEQUENCE") == true)
        #expect(refusal(.rsa, Array(rsa.dropLast()))?.contains("it is not a single DER SEQUENCE") == true)
        var offCurve = ecdsa
        offCurve[offCurve.count - 1] ^= 1
        #expect(refusal(.ecdsa, offCurve)?.contains("uncompressed point on the curve") == true)
    }
}
