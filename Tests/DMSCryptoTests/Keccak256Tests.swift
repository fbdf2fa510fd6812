import DMSCore
import Testing

@testable import Libp2pCrypto

@Suite struct Keccak256Tests {
    @Test func matchesPycryptodomeVectorsAcrossBlockBoundaries() {
        let vectors = Vectors.load("secp256k1.json")
        #expect(Hex.encode(Keccak256.hash([])) == Vectors.string(vectors["keccak256_empty"]))
        #expect(Hex.encode(Keccak256.hash(Array("abc".utf8))) == Vectors.string(vectors["keccak256_abc"]))
        #expect(
            Hex.encode(Keccak256.hash((0..<200).map { UInt8($0) })) == Vectors.string(vectors["keccak256_200_bytes"]))
    }
}
