import DMSCore
import DMSCrypto
import Foundation
import Testing

/// secp256k1 keys appear where the Go DMS meets Ledger (Ethereum-style) and libp2p secp256k1 identities.
/// Verification uses the system libsecp256k1 (installed by .ci/run); vectors come from python-ecdsa.
@Suite struct Secp256k1Tests {
    static let vectors = Vectors.load("secp256k1.json")
    static let libraryPresent = PublicKey.canVerifySecp256k1

    @Test func didKeysForSecp256k1AndEthereumKeysMatchTheVectors() throws {
        let raw = Vectors.hex(Self.vectors["public_key"])
        #expect(
            DID(publicKey: try PublicKey(type: .secp256k1, raw: raw)).uri
                == Vectors.string(Self.vectors["did_secp256k1"]))
        #expect(DID(publicKey: try PublicKey(type: .eth, raw: raw)).uri == Vectors.string(Self.vectors["did_eth"]))
        #expect(try DID.key(Vectors.string(Self.vectors["did_eth"])).publicKey().raw == raw)
    }

    @Test(.enabled(if: libraryPresent, "libsecp256k1 is not installed (apt install libsecp256k1-dev)"))
    func libp2pAndEthereumSignaturesVerify() throws {
        let raw = Vectors.hex(Self.vectors["public_key"])
        let message = Array(Vectors.string(Self.vectors["message"]).utf8)
        let plain = try PublicKey(type: .secp256k1, raw: raw)
        let eth = try PublicKey(type: .eth, raw: raw)
        let shaSignature = Vectors.hex(Self.vectors["sha256_der_signature"])
        let ethSignature = Vectors.hex(Self.vectors["eth_der_signature"])
        #expect(try plain.isValidSignature(shaSignature, for: message))
        #expect(try eth.isValidSignature(ethSignature, for: message))
        #expect(try !plain.isValidSignature(ethSignature, for: message))
        #expect(try !eth.isValidSignature(shaSignature, for: message))
        #expect(try !plain.isValidSignature(shaSignature, for: message + [1]))
        var tampered = shaSignature
        tampered[10] ^= 1
        #expect(try !plain.isValidSignature(tampered, for: message))
        #expect(try !plain.isValidSignature([0x30, 0x00], for: message))
    }

    @Test(.enabled(if: !libraryPresent, "libsecp256k1 is installed; the missing-library message cannot be seen"))
    func withoutTheLibraryVerificationSaysWhatToInstall() throws {
        let key = try PublicKey(type: .secp256k1, raw: Vectors.hex(Self.vectors["public_key"]))
        let error = #expect(throws: CryptoError.self) { try key.isValidSignature([], for: []) }
        #expect(error?.description.contains("apt install libsecp256k1") == true)
    }

    @Test func malformedSecp256k1KeysAreRefused() {
        #expect(throws: CryptoError.self) { try PublicKey(type: .secp256k1, raw: [UInt8](repeating: 4, count: 33)) }
        #expect(throws: CryptoError.self) { try PublicKey(type: .secp256k1, raw: [2, 3]) }
        #expect(throws: CryptoError.self) { try PublicKey(type: .rsa, raw: [1]) }
    }
}
