/// A pull parser for hot wire formats: walks an object's members and decodes each value in place, so a
/// large base64 string becomes bytes without an intermediate `String` or tree. Strict like
/// `JSONParser` (duplicate keys, trailing data and malformed values are errors with their position).
public struct JSONScanner {
    private let bytes: [UInt8]
    private var index = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Offset of the next byte to read.
    public var position: Int { index }

    private func error(_ reason: String) -> JSONParseError {
        var line = 1
        var lineStart = 0
        for position in 0..<min(index, bytes.count) where bytes[position] == UInt8(ascii: "\n") {
            line += 1
            lineStart = position + 1
        }
        return JSONParseError(line: line, column: index - lineStart + 1, reason: reason)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONParseError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { throw error("expected \(what)") }
        index += 1
    }

    /// The next value is `null` (consumed when it is).
    public mutating func consumeNull() -> Bool {
        skipWhitespace()
        guard index + 4 <= bytes.count, bytes[index..<index + 4].elementsEqual("null".utf8) else { return false }
        index += 4
        return true
    }

    /// Calls `member` for each member of the object at the current position; `member` must consume the
    /// value. Ends after the closing brace.
    public mutating func members(_ member: (String, inout JSONScanner) throws(JSONParseError) -> Void)
        throws(JSONParseError)
    {
        try expect(UInt8(ascii: "{"), "'{'")
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        var seen: [String] = []
        while true {
            let key = try string()
            // Wire objects have a handful of keys: a linear scan beats hashing.
            guard !seen.contains(key) else { throw error("duplicate key \"\(key)\"") }
            seen.append(key)
            try expect(UInt8(ascii: ":"), "':' after key \"\(key)\"")
            try member(key, &self)
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input, expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return
            }
            throw error("expected ',' or '}'")
        }
    }

    /// A string value.
    public mutating func string() throws(JSONParseError) -> String {
        let (start, end, escaped) = try stringExtent()
        if !escaped {
            guard let text = String(validating: bytes[start..<end], as: UTF8.self) else { throw error("invalid UTF-8") }
            return text
        }
        // Rare here: let the full parser handle escapes.
        if case .string(let text) = try JSONParser.parse(Array(bytes[(start - 1)...end])) { return text }
        throw error("invalid string")
    }

    /// A string value holding standard base64, decoded straight from the input bytes.
    public mutating func base64() throws(JSONParseError) -> [UInt8] {
        let (start, end, escaped) = try stringExtent()
        guard !escaped else { throw error("base64 text must not contain escapes") }
        let decoded = bytes.withUnsafeBufferPointer { buffer in
            Base64.decode(utf8: UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
        guard let decoded else { throw error("not valid base64") }
        return decoded
    }

    /// An unsigned integer value.
    public mutating func unsigned() throws(JSONParseError) -> UInt64 {
        skipWhitespace()
        var value: UInt64 = 0
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = product.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
            guard !overflow, !overflow2 else { throw error("number out of range for an unsigned 64-bit integer") }
            value = sum
            index += 1
        }
        guard index > start else { throw error("expected an unsigned integer") }
        if index - start > 1 && bytes[start] == UInt8(ascii: "0") { throw error("leading zeros are not allowed") }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            throw error("expected an unsigned integer")
        }
        return value
    }

    /// Skips any value, validating it.
    public mutating func skipValue() throws(JSONParseError) {
        skipWhitespace()
        let start = index
        var depth = 0
        repeat {
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                index += 1
            case UInt8(ascii: "\""):
                _ = try stringExtent()
            default:
                // A scalar (number, true, false, null) or a separator inside a container.
                repeat {
                    index += 1
                } while index < bytes.count
                    && ![
                        UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: " "), UInt8(ascii: "\n"),
                        UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: ":"), UInt8(ascii: "\""),
                        UInt8(ascii: "{"),
                        UInt8(ascii: "["),
                    ].contains(bytes[index])
            }
        } while depth > 0 && index < bytes.count
        // Validate what was skipped with the full parser.
        _ = try JSONParser.parse(Array(bytes[start..<index]))
    }

    /// Requires that nothing but whitespace follows.
    public mutating func finish() throws(JSONParseError) {
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected data after the end of the document") }
    }

    /// Bounds of the string at the current position (without quotes) and whether it has escapes.
    private mutating func stringExtent() throws(JSONParseError) -> (Int, Int, Bool) {
        try expect(UInt8(ascii: "\""), "a string")
        let start = index
        var escaped = false
        var position = start
        let outcome: Int = bytes.withUnsafeBufferPointer { buffer in
            while position < buffer.count {
                let byte = buffer[position]
                if byte == UInt8(ascii: "\"") { return 0 }
                if byte < 0x20 { return 1 }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    position += 1
                }
                position += 1
            }
            return 2
        }
        index = min(position, bytes.count)
        switch outcome {
        case 0:
            index += 1
            return (start, index - 1, escaped)
        case 1: throw error("control character in string")
        default: throw error("unterminated string")
        }
    }
}
