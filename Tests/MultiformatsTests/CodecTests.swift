import Foundation
import Multiformats
import Testing

@Suite struct VarintTests {
    @Test(
        arguments: [
            (0, [0]), (1, [1]), (127, [0x7F]), (128, [0x80, 0x01]), (300, [0xAC, 0x02]),
            (16384, [0x80, 0x80, 0x01]), (0xED, [0xED, 0x01]), (0xEF01, [0x81, 0xDE, 0x03]),
        ] as [(UInt64, [UInt8])])
    func encodesAndDecodesKnownValues(value: UInt64, bytes: [UInt8]) throws {
        #expect(Varint.encode(value) == bytes)
        let decoded = try Varint.decode(bytes + [0xFF])
        #expect(decoded.value == value)
        #expect(decoded.length == bytes.count)
    }

    @Test func refusesTruncatedOverlongAndNonMinimalInput() {
        #expect(throws: Varint.DecodingError.truncated) { try Varint.decode([0x80, 0x80]) }
        #expect(throws: Varint.DecodingError.truncated) { try Varint.decode([UInt8]()) }
        #expect(throws: Varint.DecodingError.overflow) { try Varint.decode([UInt8](repeating: 0xFF, count: 10)) }
        #expect(throws: Varint.DecodingError.notMinimal) { try Varint.decode([0x80, 0x00]) }
    }

    @Test func roundTripsRandomValues() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1000 {
            let value = UInt64.random(in: 0...(UInt64.max >> 1), using: &generator) >> UInt64.random(in: 0...62)
            #expect(try Varint.decode(Varint.encode(value)).value == value)
        }
    }
}

@Suite struct BaseEncodingTests {
    @Test(arguments: [
        ("", ""), ("hello world", "StV1DL6CwTryKyV"), ("\0\0abc", "11ZiCa"),
    ])
    func base58MatchesKnownVectors(text: String, encoded: String) {
        #expect(Base58.encode(Array(text.utf8)) == encoded)
        #expect(Base58.decode(encoded) == Array(text.utf8))
    }

    @Test func base58RejectsCharactersOutsideTheAlphabet() {
        for bad in ["0", "O", "I", "l", "abc+"] { #expect(Base58.decode(bad) == nil, "\(bad)") }
    }

    @Test(arguments: [
        ("", ""), ("f", "MY======"), ("fo", "MZXQ===="), ("foo", "MZXW6==="), ("foob", "MZXW6YQ="),
        ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI======"),
    ])
    func base32MatchesRFC4648(text: String, encoded: String) {
        #expect(Base32.encode(Array(text.utf8)) == encoded)
        #expect(Base32.decode(encoded) == Array(text.utf8))
        #expect(Base32.decode(encoded.lowercased().replacingOccurrences(of: "=", with: "")) == Array(text.utf8))
    }

    @Test func base32RoundTripsLongInputs() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        #expect(Base32.decode(Base32.encode(bytes)) == bytes)
        #expect(Base32.decode(Base32.encode(bytes, lowercase: true, padded: false)) == bytes)
    }

    @Test func base32RejectsBadInput() {
        #expect(Base32.decode("MZXW6YQ1") == nil)
        #expect(Base32.decode("MY=A") == nil)
    }

    @Test func multibaseRoundTripsAndNamesUnsupportedPrefixes() throws {
        let bytes: [UInt8] = [0xED, 0x01, 1, 2, 3]
        #expect(try Multibase.decode(Multibase.encode(bytes, as: .base58btc)).bytes == bytes)
        #expect(try Multibase.decode(Multibase.encode(bytes, as: .base32)).bytes == bytes)
        #expect(throws: Multibase.DecodingError.unsupportedPrefix("m")) { try Multibase.decode("mAQID") }
        #expect(throws: Multibase.DecodingError.empty) { try Multibase.decode("") }
        #expect(throws: Multibase.DecodingError.invalidCharacters) { try Multibase.decode("z0") }
    }

    @Test func multihashChecksItsLength() throws {
        let hash = Multihash(code: .identity, digest: [1, 2, 3])
        #expect(hash.bytes == [0, 3, 1, 2, 3])
        #expect(try Multihash(decoding: hash.bytes) == hash)
        #expect(throws: Multihash.DecodingError.lengthMismatch) { try Multihash(decoding: [0, 4, 1, 2, 3]) }
        #expect(throws: Multihash.DecodingError.unsupportedCode(0x13)) { try Multihash(decoding: [0x13, 0]) }
    }

    @Test func protobufFieldsRoundTripAndTruncationIsCaught() throws {
        var writer = ProtobufWriter()
        writer.varint(field: 1, 1)
        writer.bytes(field: 2, [9, 9])
        #expect(writer.bytes == [0x08, 0x01, 0x12, 0x02, 9, 9])
        let fields = try ProtobufReader.fields(writer.bytes)
        #expect(fields.map(\.field) == [1, 2])
        #expect(fields.last?.value == .bytes([9, 9]))
        #expect(throws: ProtobufDecodingError.truncated) { try ProtobufReader.fields([0x12, 0x05, 1]) }
        #expect(throws: ProtobufDecodingError.unsupportedWireType(5)) { try ProtobufReader.fields([0x0D, 0, 0, 0, 0]) }
    }
}
