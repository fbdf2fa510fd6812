import DMSCore

/// A list of tokens as exchanged between CLI commands, anchors and envelopes: `{"tok":[{"dms":…},…]}`
/// (`{}` when empty, as Go omits the empty list).
public struct TokenList: Sendable, Equatable {
    public var tokens: [CapabilityToken]

    public init(_ tokens: [CapabilityToken] = []) { self.tokens = tokens }

    public var isEmpty: Bool { tokens.isEmpty }

    /// Go JSON bytes.
    public var encoding: [UInt8] {
        guard !tokens.isEmpty else { return Array("{}".utf8) }
        var output = Array(#"{"tok":["#.utf8)
        for (index, token) in tokens.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            TokenEncoding.appendWrapped(token, to: &output)
        }
        output.append(contentsOf: "]}".utf8)
        return output
    }

    public var json: String { String(decoding: encoding, as: UTF8.self) }

    /// Parses a token list, or (for convenience on the command line) a single wrapped token.
    public init(parsing text: String) throws(CapabilityError) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(text)
        } catch {
            throw .malformedToken("not valid JSON: \(error)")
        }
        try self.init(json: document)
    }

    public init(json document: JSONValue) throws(CapabilityError) {
        guard case .object = document else { throw .malformedToken("expected a token list {\"tok\": [...]}") }
        if document["dms"] != nil || document["ucan"] != nil {
            tokens = [try CapabilityToken(wrapped: document)]
            return
        }
        switch document["tok"] {
        case nil, .null?: tokens = []
        case .array(let elements)?:
            var parsed: [CapabilityToken] = []
            for element in elements { parsed.append(try CapabilityToken(wrapped: element)) }
            tokens = parsed
        default: throw .malformedToken("\"tok\" must be a list of tokens")
        }
    }
}
