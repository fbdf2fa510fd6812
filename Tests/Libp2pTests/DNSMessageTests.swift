import Testing

@testable import Libp2p

/// The DNS message codec against bytes written out by hand from RFC 1035, and against hostile bytes: every
/// malformed input must end in a named error.
@Suite struct DNSMessageTests {
    static func label(_ text: String) -> [UInt8] { [UInt8(text.utf8.count)] + Array(text.utf8) }

    static func header(id: UInt16 = 0x1234, flags: UInt16 = 0x8180, counts: [UInt16]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(id)
        bytes.appendBigEndian(flags)
        for count in counts { bytes.appendBigEndian(count) }
        return bytes
    }

    /// The error `bytes` decode to, as text, or nil if they decode.
    static func decodingError(_ bytes: [UInt8]) -> String? {
        do {
            _ = try DNSMessage(decoding: bytes)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aQueryIsEncodedAsRFC1035AndEDNSSay() throws {
        let name = try DNSName("_dnsaddr.bootstrap.test")
        let query = DNSMessage.query(id: 0xBEEF, name: name, type: .txt, udpPayloadSize: 1232)
        let expected: [UInt8] =
            [0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1]
            + Self.label("_dnsaddr") + Self.label("bootstrap") + Self.label("test") + [0, 0x00, 0x10, 0x00, 0x01]
            + [0, 0x00, 0x29, 0x04, 0xD0, 0, 0, 0, 0, 0, 0]
        #expect(try query.encoded() == expected)
        #expect(try DNSMessage(decoding: expected) == query)
    }

    @Test func everySectionAndRecordTypeRoundTrips() throws {
        let owner = try DNSName("node.example.test")
        var message = DNSMessage(
            id: 7, isResponse: true, recursionDesired: true, responseCode: 0,
            questions: [.init(name: owner, type: .a)],
            answers: [
                DNSResourceRecord(name: owner, ttl: 300, data: .a([192, 0, 2, 1])),
                DNSResourceRecord(name: owner, ttl: 300, data: .aaaa(Array(repeating: 0x20, count: 16))),
                DNSResourceRecord(name: owner, data: .txt([Array("dnsaddr=/ip4/".utf8), [], Array("1.2.3.4".utf8)])),
                DNSResourceRecord(name: try DNSName("alias.test"), data: .cname(owner)),
                DNSResourceRecord(name: owner, data: .other(DNSRecordType(rawValue: 99), [1, 2, 3])),
            ])
        message.isAuthoritative = true
        message.recursionAvailable = true
        message.authorities = [
            DNSResourceRecord(name: owner, recordClass: 3, data: .other(DNSRecordType(rawValue: 6), [1, 2]))
        ]
        message.additionals = [
            DNSResourceRecord(name: DNSName(checkedLabels: []), recordClass: 1232, data: .other(.opt, []))
        ]
        let decoded = try DNSMessage(decoding: try message.encoded())
        #expect(decoded == message)
        #expect(decoded.answers[2].text == Array("dnsaddr=/ip4/1.2.3.4".utf8))
    }

    @Test func compressedNamesAndCNAMEChainsAreFollowed() throws {
        // www.example.test CNAME web.example.test ("web" + a pointer to "example.test" in the question), then
        // web.example.test A 192.0.2.1 whose owner points at the CNAME's data.
        let question = Self.label("www") + Self.label("example") + Self.label("test") + [0, 0, 1, 0, 1]
        let cname: [UInt8] = [0xC0, 0x0C, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6] + Self.label("web") + [0xC0, 0x10]
        let address: [UInt8] = [0xC0, 46, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1]
        let bytes = Self.header(counts: [1, 2, 0, 0]) + question + cname + address
        let message = try DNSMessage(decoding: bytes)
        let web = try DNSName("web.example.test")
        #expect(
            message.answers[0] == DNSResourceRecord(name: try DNSName("www.example.test"), ttl: 60, data: .cname(web)))
        #expect(message.answers[1] == DNSResourceRecord(name: web, ttl: 60, data: .a([192, 0, 2, 1])))
        let records = try DNSResolver.records(of: .a, for: try DNSName("WWW.Example.TEST"), in: message)
        #expect(records == [.a([192, 0, 2, 1])])
        #expect(throws: DNSError.noRecords("www.example.test", type: .aaaa)) {
            try DNSResolver.records(of: .aaaa, for: try DNSName("www.example.test"), in: message)
        }
    }

    @Test func pointersThatDoNotGoBackwardsAreRefused() {
        let tail: [UInt8] = [0, 1, 0, 1]
        // A name that points at itself.
        let selfPointer = Self.header(counts: [1, 0, 0, 0]) + [0xC0, 12] + tail
        #expect(Self.decodingError(selfPointer)?.contains("points to byte 12") == true)
        // A label followed by a pointer back to the label: the classic loop.
        let loop = Self.header(counts: [1, 0, 0, 0]) + Self.label("a") + [0xC0, 12] + tail
        #expect(Self.decodingError(loop)?.contains("not before the name it continues") == true)
        // Two names pointing at each other.
        let mutual =
            Self.header(counts: [1, 1, 0, 0]) + Self.label("a") + [0xC0, 20] + tail
            + [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]
        #expect(Self.decodingError(mutual)?.contains("points to byte 20") == true)
        // Past the end of the message.
        let outside = Self.header(counts: [1, 0, 0, 0]) + [0xFF, 0xFF] + tail
        #expect(Self.decodingError(outside)?.contains("points to byte 16383") == true)
        let cutOff = Self.header(counts: [1, 0, 0, 0]) + Self.label("abcd") + [0xC0]
        #expect(Self.decodingError(cutOff)?.contains("compression pointer in question 1 is cut off") == true)
        let reservedLabelType = Self.header(counts: [1, 0, 0, 0]) + [0x41, 0] + tail
        #expect(Self.decodingError(reservedLabelType)?.contains("label type 0x40") == true)
    }

    @Test func namesLongerThan255BytesAreRefusedEvenThroughPointers() {
        let long = String(repeating: "a", count: 63)
        let direct = Self.header(counts: [1, 0, 0, 0]) + (0..<4).flatMap { _ in Self.label(long) } + [0, 0, 1, 0, 1]
        #expect(Self.decodingError(direct)?.contains("longer than 255 bytes") == true)
        // 3 × 64 bytes here plus 65 through the pointer to the question's name: 258.
        let question = Self.label(long) + [0, 0, 1, 0, 1]
        let owner: [UInt8] = (0..<3).flatMap { _ in Self.label(long) } + [0xC0, 12]
        let viaPointer = Self.header(counts: [1, 1, 0, 0]) + question + owner + [0, 1, 0, 1, 0, 0, 0, 0, 0, 0]
        #expect(Self.decodingError(viaPointer)?.contains("answer record 1 is longer than 255 bytes") == true)
    }

    @Test func countsAndLengthsAreCheckedAgainstTheBytes() {
        let question = Self.label("x") + [0, 0, 1, 0, 1]
        #expect(
            Self.decodingError([0x12, 0x34, 0x81])
                == "dns: malformed message: the header needs 2 bytes at byte 2, but only 1 remain")
        #expect(Self.decodingError(Self.header(counts: [0, 0xFFFF, 0, 0]))?.contains("65535 records") == true)
        #expect(
            Self.decodingError(Self.header(counts: [0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF]) + question)?.contains("cannot fit")
                == true)
        let pastTheEnd =
            Self.header(counts: [1, 1, 0, 0]) + question + [0xC0, 12, 0, 16, 0, 1, 0, 0, 0, 0, 0, 10, 3, 1, 2]
        #expect(Self.decodingError(pastTheEnd)?.contains("claims 10 bytes of data, but only 3 remain") == true)
        let shortA =
            Self.header(counts: [1, 1, 0, 0]) + question + [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5]
        #expect(Self.decodingError(shortA)?.contains("A record of 5 bytes (4 expected)") == true)
        let brokenTXT =
            Self.header(counts: [1, 1, 0, 0]) + question + [0xC0, 12, 0, 16, 0, 1, 0, 0, 0, 0, 0, 3, 3, 65, 66]
        #expect(Self.decodingError(brokenTXT)?.contains("character-string of answer record 1 runs past") == true)
        let looseCNAME =
            Self.header(counts: [1, 1, 0, 0]) + question + [0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 0, 0, 4, 0xC0, 12, 0, 0]
        #expect(Self.decodingError(looseCNAME)?.contains("does not fill its 4 bytes") == true)
        let labelPastTheEnd = Self.header(counts: [1, 0, 0, 0]) + [9, 65, 66, 67, 68]
        #expect(Self.decodingError(labelPastTheEnd)?.contains("runs past the end of the message") == true)
    }

    @Test func encodingRefusesWhatHasNoWireForm() throws {
        let owner = try DNSName("x.test")
        let longString = DNSMessage(
            id: 1, answers: [DNSResourceRecord(name: owner, data: .txt([Array(repeating: 65, count: 256)]))])
        #expect(throws: DNSError.malformedMessage("a TXT character-string of 256 bytes exceeds 255")) {
            try longString.encoded()
        }
    }

    @Test func namesAreCheckedAndCompareWithoutCase() throws {
        #expect(try DNSName("Bootstrap.P2P.nunet.io.") == DNSName("bootstrap.p2p.nunet.io"))
        #expect(try DNSName("bootstrap.test").prefixed(with: "_dnsaddr").description == "_dnsaddr.bootstrap.test")
        #expect(throws: DNSError.invalidName("", reason: "the name is empty")) { try DNSName("") }
        #expect(throws: DNSError.invalidName("a..b", reason: "it has an empty label")) { try DNSName("a..b") }
        #expect(throws: DNSError.self) { try DNSName("bad name.test") }
        #expect(throws: DNSError.self) { try DNSName("bücher.test") }
        #expect(throws: DNSError.self) { try DNSName(String(repeating: "a", count: 64) + ".test") }
        let long = Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: ".")
        #expect(throws: DNSError.invalidName(long, reason: "it is longer than 255 bytes on the wire")) {
            try DNSName(long)
        }
        #expect(DNSName(checkedLabels: [[0x61, 0x2E, 0x00]]).description == "a\\046\\000")
    }
}
