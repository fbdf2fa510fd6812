/// Serialises JSON the way Go's `encoding/json` does: the same string escaping (including the HTML-safe
/// `\u003c`, `\u003e`, `\u0026` and the line separators), no whitespace in compact form, and two-space
/// `MarshalIndent` layout in pretty form. Signed wire formats depend on these exact bytes.
public struct JSONWriter: Sendable {
    public var pretty: Bool
    public var escapeHTML: Bool

    public init(pretty: Bool = false, escapeHTML: Bool = true) {
        self.pretty = pretty
        self.escapeHTML = escapeHTML
    }

    public func string(_ value: JSONValue) -> String {
        var output = ""
        write(value, indent: 0, into: &output)
        return output
    }

    public func bytes(_ value: JSONValue) -> [UInt8] { Array(string(value).utf8) }

    private func write(_ value: JSONValue, indent: Int, into output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let literal): output += literal
        case .string(let text): appendQuoted(text, to: &output)
        case .array(let elements):
            guard !elements.isEmpty else {
                output += "[]"
                return
            }
            output += "["
            for (position, element) in elements.enumerated() {
                if position > 0 { output += "," }
                newline(indent + 1, &output)
                write(element, indent: indent + 1, into: &output)
            }
            newline(indent, &output)
            output += "]"
        case .object(let members):
            guard !members.isEmpty else {
                output += "{}"
                return
            }
            output += "{"
            for (position, member) in members.enumerated() {
                if position > 0 { output += "," }
                newline(indent + 1, &output)
                appendQuoted(member.key, to: &output)
                output += pretty ? ": " : ":"
                write(member.value, indent: indent + 1, into: &output)
            }
            newline(indent, &output)
            output += "}"
        }
    }

    private func newline(_ indent: Int, _ output: inout String) {
        guard pretty else { return }
        output += "\n"
        output += String(repeating: "  ", count: indent)
    }

    /// Appends `text` as a quoted JSON string with Go's escaping rules.
    public func appendQuoted(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "<" where escapeHTML, ">" where escapeHTML, "&" where escapeHTML,
                "\u{2028}", "\u{2029}":
                output += Self.unicodeEscape(scalar.value)
            default:
                if scalar.value < 0x20 {
                    output += Self.unicodeEscape(scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
