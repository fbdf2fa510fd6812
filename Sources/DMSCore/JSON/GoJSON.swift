/// Building blocks for writing JSON byte-for-byte as Go's `encoding/json.Marshal` does, used by the
/// signed wire types (capability tokens, envelopes) that encode themselves field by field.
public enum GoJSON {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `text` as a quoted JSON string with Go's escaping: `"` and `\`, `\n` `\r` `\t`, other
    /// control characters as `\u00XX`, U+2028/U+2029, and `<` `>` `&` when `escapeHTML`.
    public static func appendQuoted(_ text: String, to output: inout [UInt8], escapeHTML: Bool = true) {
        var text = text
        text.withUTF8 { appendQuoted(utf8: $0, to: &output, escapeHTML: escapeHTML) }
    }

    private static func appendQuoted(utf8: UnsafeBufferPointer<UInt8>, to output: inout [UInt8], escapeHTML: Bool) {
        output.append(UInt8(ascii: "\""))
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): output.append(contentsOf: [0x5C, 0x5C])
            case UInt8(ascii: "\n"): output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                if escapeHTML { appendUnicodeEscape(UInt32(byte), to: &output) } else { output.append(byte) }
            case 0..<0x20: appendUnicodeEscape(UInt32(byte), to: &output)
            case 0xE2 where index + 2 < utf8.count && utf8[index + 1] == 0x80 && (utf8[index + 2] & 0xFE) == 0xA8:
                // U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR.
                appendUnicodeEscape(utf8[index + 2] == 0xA8 ? 0x2028 : 0x2029, to: &output)
                index += 2
            default: output.append(byte)
            }
            index += 1
        }
        output.append(UInt8(ascii: "\""))
    }

    /// A quoted base64 string, as Go writes a `[]byte`.
    public static func appendBase64(_ bytes: [UInt8], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        Base64.append(bytes, to: &output)
        output.append(UInt8(ascii: "\""))
    }

    public static func appendUnsigned(_ value: UInt64, to output: inout [UInt8]) {
        output.append(contentsOf: String(value).utf8)
    }

    /// Appends `"name":`.
    public static func appendKey(_ name: StaticString, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { output.append(contentsOf: $0) }
        output.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    private static func appendUnicodeEscape(_ value: UInt32, to output: inout [UInt8]) {
        output.append(contentsOf: [0x5C, UInt8(ascii: "u")])
        for shift in stride(from: 12, through: 0, by: -4) {
            output.append(hexDigits[Int(value >> UInt32(shift) & 0xF)])
        }
    }
}
