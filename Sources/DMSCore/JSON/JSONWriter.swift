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

    public func string(_ value: JSONValue) -> String { String(decoding: bytes(value), as: UTF8.self) }

    public func bytes(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        write(value, indent: 0, into: &output)
        return output
    }

    private func write(_ value: JSONValue, indent: Int, into output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let literal): output.append(contentsOf: literal.utf8)
        case .string(let text): GoJSON.appendQuoted(text, to: &output, escapeHTML: escapeHTML)
        case .array(let elements):
            guard !elements.isEmpty else { return output.append(contentsOf: "[]".utf8) }
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 1, &output)
                write(element, indent: indent + 1, into: &output)
            }
            newline(indent, &output)
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else { return output.append(contentsOf: "{}".utf8) }
            output.append(UInt8(ascii: "{"))
            for (position, member) in members.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 1, &output)
                GoJSON.appendQuoted(member.key, to: &output, escapeHTML: escapeHTML)
                output.append(UInt8(ascii: ":"))
                if pretty { output.append(UInt8(ascii: " ")) }
                write(member.value, indent: indent + 1, into: &output)
            }
            newline(indent, &output)
            output.append(UInt8(ascii: "}"))
        }
    }

    private func newline(_ indent: Int, _ output: inout [UInt8]) {
        guard pretty else { return }
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
    }
}
