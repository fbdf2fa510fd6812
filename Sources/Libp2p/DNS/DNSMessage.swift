/// A DNS message (RFC 1035 §4.1): the header, the question and the three record sections. Encoding writes
/// names uncompressed; decoding accepts compression and checks every count and length against the bytes.
package struct DNSMessage: Sendable, Equatable {
    struct Question: Sendable, Equatable {
        var name: DNSName
        var type: DNSRecordType
        var questionClass: UInt16 = DNSResourceRecord.classIN
    }

    static let headerLength = 12
    static let responseCodeNameError: UInt8 = 3
    /// The smallest question (the root name, type and class) and record (adding TTL and data length).
    static let minimumQuestionLength = 5
    static let minimumRecordLength = 11

    var id: UInt16
    var isResponse = false
    var opcode: UInt8 = 0
    var isAuthoritative = false
    var isTruncated = false
    var recursionDesired = false
    var recursionAvailable = false
    var responseCode: UInt8 = 0
    var questions: [Question] = []
    var answers: [DNSResourceRecord] = []
    var authorities: [DNSResourceRecord] = []
    var additionals: [DNSResourceRecord] = []

    /// A recursive query for one name and type. With `udpPayloadSize`, an EDNS(0) OPT record offers
    /// answers larger than 512 bytes over UDP, which saves most TXT lookups a retry over TCP.
    static func query(id: UInt16, name: DNSName, type: DNSRecordType, udpPayloadSize: UInt16? = nil) -> DNSMessage {
        var message = DNSMessage(id: id, recursionDesired: true, questions: [Question(name: name, type: type)])
        if let udpPayloadSize {
            message.additionals = [
                DNSResourceRecord(
                    name: DNSName(checkedLabels: []), recordClass: udpPayloadSize, data: .other(.opt, []))
            ]
        }
        return message
    }

    package func encoded() throws(DNSError) -> [UInt8] {
        let counts = [questions.count, answers.count, authorities.count, additionals.count]
        if let tooMany = counts.first(where: { $0 > Int(UInt16.max) }) {
            throw .malformedMessage("a section of \(tooMany) entries exceeds 65535")
        }
        var output: [UInt8] = []
        output.appendBigEndian(id)
        output.appendBigEndian(flags)
        for count in counts { output.appendBigEndian(UInt16(count)) }
        for question in questions {
            question.name.encode(into: &output)
            output.appendBigEndian(question.type.rawValue)
            output.appendBigEndian(question.questionClass)
        }
        for record in answers + authorities + additionals { try record.encode(into: &output) }
        guard output.count <= Int(UInt16.max) else {
            throw .malformedMessage("a message of \(output.count) bytes exceeds 65535")
        }
        return output
    }

    private var flags: UInt16 {
        var flags = UInt16(opcode & 0x0F) << 11 | UInt16(responseCode & 0x0F)
        if isResponse { flags |= 0x8000 }
        if isAuthoritative { flags |= 0x0400 }
        if isTruncated { flags |= 0x0200 }
        if recursionDesired { flags |= 0x0100 }
        if recursionAvailable { flags |= 0x0080 }
        return flags
    }

    init(
        id: UInt16, isResponse: Bool = false, recursionDesired: Bool = false, responseCode: UInt8 = 0,
        questions: [Question] = [], answers: [DNSResourceRecord] = [], additionals: [DNSResourceRecord] = []
    ) {
        self.id = id
        self.isResponse = isResponse
        self.recursionDesired = recursionDesired
        self.responseCode = responseCode
        self.questions = questions
        self.answers = answers
        self.additionals = additionals
    }

    package init(decoding bytes: [UInt8]) throws(DNSError) {
        var reader = DNSWireReader(bytes)
        id = try reader.readUInt16("the header")
        let flags = try reader.readUInt16("the header")
        isResponse = flags & 0x8000 != 0
        opcode = UInt8(flags >> 11 & 0x0F)
        isAuthoritative = flags & 0x0400 != 0
        isTruncated = flags & 0x0200 != 0
        recursionDesired = flags & 0x0100 != 0
        recursionAvailable = flags & 0x0080 != 0
        responseCode = UInt8(flags & 0x0F)
        let questionCount = Int(try reader.readUInt16("the header"))
        let recordCounts = [
            Int(try reader.readUInt16("the header")), Int(try reader.readUInt16("the header")),
            Int(try reader.readUInt16("the header")),
        ]
        // Counts are claims: refuse those the remaining bytes cannot hold before reading any entry.
        let smallest = questionCount * Self.minimumQuestionLength + recordCounts.reduce(0, +) * Self.minimumRecordLength
        guard smallest <= reader.remaining else {
            throw .malformedMessage(
                "the header counts \(questionCount) questions and \(recordCounts.reduce(0, +)) records, "
                    + "which cannot fit in the \(reader.remaining) bytes that follow")
        }
        for index in 0..<questionCount {
            let what = "question \(index + 1)"
            let name = try reader.readName(what)
            let type = DNSRecordType(rawValue: try reader.readUInt16(what))
            questions.append(Question(name: name, type: type, questionClass: try reader.readUInt16(what)))
        }
        answers = try Self.records(recordCounts[0], section: "answer", from: &reader)
        authorities = try Self.records(recordCounts[1], section: "authority", from: &reader)
        additionals = try Self.records(recordCounts[2], section: "additional", from: &reader)
    }

    private static func records(_ count: Int, section: String, from reader: inout DNSWireReader) throws(DNSError)
        -> [DNSResourceRecord]
    {
        var records: [DNSResourceRecord] = []
        for index in 0..<count { records.append(try record("\(section) record \(index + 1)", from: &reader)) }
        return records
    }

    private static func record(_ what: String, from reader: inout DNSWireReader) throws(DNSError)
        -> DNSResourceRecord
    {
        let name = try reader.readName(what)
        let type = DNSRecordType(rawValue: try reader.readUInt16(what))
        let recordClass = try reader.readUInt16(what)
        let ttl = try reader.readUInt32(what)
        let length = Int(try reader.readUInt16(what))
        guard length <= reader.remaining else {
            throw .malformedMessage("\(what) claims \(length) bytes of data, but only \(reader.remaining) remain")
        }
        let start = reader.offset
        let data: DNSResourceRecord.Data
        switch type {
        case .a, .aaaa:
            let expected = type == .a ? 4 : 16
            guard length == expected else {
                throw .malformedMessage("\(what) is a \(type) record of \(length) bytes (\(expected) expected)")
            }
            let bytes = try reader.readBytes(length, what)
            data = type == .a ? .a(bytes) : .aaaa(bytes)
        case .txt:
            data = .txt(try characterStrings(try reader.readBytes(length, what), what))
        case .cname, .ptr:
            let target = try reader.readName(what)
            guard reader.offset - start == length else {
                throw .malformedMessage("\(what) holds a \(type) that does not fill its \(length) bytes of data")
            }
            data = type == .cname ? .cname(target) : .ptr(target)
        default:
            data = .other(type, try reader.readBytes(length, what))
        }
        return DNSResourceRecord(name: name, recordClass: recordClass, ttl: ttl, data: data)
    }

    /// TXT data: one or more length-prefixed strings that exactly fill the record.
    private static func characterStrings(_ data: [UInt8], _ what: String) throws(DNSError) -> [[UInt8]] {
        var strings: [[UInt8]] = []
        var index = 0
        while index < data.count {
            let end = index + 1 + Int(data[index])
            guard end <= data.count else {
                throw .malformedMessage("a character-string of \(what) runs past the record's data")
            }
            strings.append(Array(data[(index + 1)..<end]))
            index = end
        }
        return strings
    }
}
