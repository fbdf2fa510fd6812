import DMSCore
import DMSCrypto

/// The Go DMS JSON of tokens, written field by field in the order and with the `omitempty` rules of the
/// Go struct: `act, iss, sub, aud, topic?, cap, nonce, exp, depth?, chain?, sig?`. A DID is `{"uri":…}`
/// (`{}` when empty); byte strings are padded base64; nil lists are `null`.
enum TokenEncoding {
    static func appendFields(
        action: TokenAction, issuer: DID, subject: DID, audience: DID, topics: [Capability],
        capabilities: [Capability]?, nonce: [UInt8]?, expiry: UInt64, depth: UInt64, chain: CapabilityToken?,
        to output: inout [UInt8]
    ) {
        output.append(UInt8(ascii: "{"))
        GoJSON.appendKey("act", to: &output)
        GoJSON.appendQuoted(action.rawValue, to: &output)
        output.append(UInt8(ascii: ","))
        GoJSON.appendKey("iss", to: &output)
        appendDID(issuer, to: &output)
        output.append(UInt8(ascii: ","))
        GoJSON.appendKey("sub", to: &output)
        appendDID(subject, to: &output)
        output.append(UInt8(ascii: ","))
        GoJSON.appendKey("aud", to: &output)
        appendDID(audience, to: &output)
        if !topics.isEmpty {
            output.append(UInt8(ascii: ","))
            GoJSON.appendKey("topic", to: &output)
            appendCapabilities(topics, to: &output)
        }
        output.append(UInt8(ascii: ","))
        GoJSON.appendKey("cap", to: &output)
        if let capabilities {
            appendCapabilities(capabilities, to: &output)
        } else {
            output.append(contentsOf: "null".utf8)
        }
        output.append(UInt8(ascii: ","))
        GoJSON.appendKey("nonce", to: &output)
        if let nonce { GoJSON.appendBase64(nonce, to: &output) } else { output.append(contentsOf: "null".utf8) }
        output.append(UInt8(ascii: ","))
        GoJSON.appendKey("exp", to: &output)
        GoJSON.appendUnsigned(expiry, to: &output)
        if depth > 0 {
            output.append(UInt8(ascii: ","))
            GoJSON.appendKey("depth", to: &output)
            GoJSON.appendUnsigned(depth, to: &output)
        }
        if let chain {
            output.append(UInt8(ascii: ","))
            GoJSON.appendKey("chain", to: &output)
            appendWrapped(chain, to: &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    /// `{"dms":<token>}`: the Go `Token` wrapper.
    static func appendWrapped(_ token: CapabilityToken, to output: inout [UInt8]) {
        output.append(contentsOf: #"{"dms":"#.utf8)
        output.append(contentsOf: token.encoding)
        output.append(UInt8(ascii: "}"))
    }

    static func appendDID(_ did: DID, to output: inout [UInt8]) {
        if did.isEmpty { return output.append(contentsOf: "{}".utf8) }
        output.append(UInt8(ascii: "{"))
        GoJSON.appendKey("uri", to: &output)
        GoJSON.appendQuoted(did.uri, to: &output)
        output.append(UInt8(ascii: "}"))
    }

    static func appendCapabilities(_ capabilities: [Capability], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        for (index, capability) in capabilities.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            GoJSON.appendQuoted(capability.path, to: &output)
        }
        output.append(UInt8(ascii: "]"))
    }
}

extension DID {
    /// Appends the Go JSON of a `did.DID` (`{"uri":…}`, `{}` when empty), as tokens and handles embed it.
    public func appendGoJSON(to output: inout [UInt8]) { TokenEncoding.appendDID(self, to: &output) }
}

extension CapabilityToken {
    /// Decodes a `Token` wrapper (`{"dms": {...}}`). BYO UCAN envelopes (`"ucan"`) are not implemented by
    /// the Go DMS either and are refused.
    public convenience init(wrapped json: JSONValue) throws(CapabilityError) {
        guard case .object = json else { throw .malformedToken("a token must be a JSON object") }
        guard let body = json["dms"], body != .null else {
            if json["ucan"] != nil { throw .unsupportedToken("BYO UCAN envelopes are not supported") }
            throw .malformedToken("the token has no \"dms\" member")
        }
        try self.init(json: body)
    }

    /// Decodes a `DMSToken` object. Unknown members are ignored, as Go does; the signature is checked
    /// later against the re-encoded content.
    public convenience init(json: JSONValue) throws(CapabilityError) {
        guard case .object = json else { throw .malformedToken("a DMS token must be a JSON object") }
        guard case .string(let act)? = json["act"], let action = TokenAction(rawValue: act) else {
            throw .malformedToken("\"act\" must be one of delegate, invoke, broadcast, revoke")
        }
        let chain: CapabilityToken?
        switch json["chain"] {
        case nil, .null?: chain = nil
        case let value?: chain = try CapabilityToken(wrapped: value)
        }
        self.init(
            action: action, issuer: try Self.did(json["iss"], "iss"), subject: try Self.did(json["sub"], "sub"),
            audience: try Self.did(json["aud"], "aud"), topics: try Self.capabilities(json["topic"], "topic") ?? [],
            capabilities: try Self.capabilities(json["cap"], "cap"), nonce: try Self.bytes(json["nonce"], "nonce"),
            expiry: try Self.unsigned(json["exp"], "exp"), depth: try Self.unsigned(json["depth"], "depth"),
            chain: chain, signature: try Self.bytes(json["sig"], "sig") ?? [])
    }

    private static func did(_ value: JSONValue?, _ field: String) throws(CapabilityError) -> DID {
        switch value {
        case nil, .null?: return .empty
        case .object?:
            switch value?["uri"] {
            case nil, .null?: return .empty
            case .string(let uri)?: return uri.isEmpty ? .empty : try parsedDID(uri, field)
            default: throw .malformedToken("\"\(field).uri\" must be a string")
            }
        default: throw .malformedToken("\"\(field)\" must be a DID object {\"uri\": ...}")
        }
    }

    private static func parsedDID(_ uri: String, _ field: String) throws(CapabilityError) -> DID {
        do {
            return try DID(uri)
        } catch {
            throw .malformedToken("\"\(field)\": \(error)")
        }
    }

    private static func capabilities(_ value: JSONValue?, _ field: String) throws(CapabilityError) -> [Capability]? {
        switch value {
        case nil, .null?: return nil
        case .array(let elements)?:
            var result: [Capability] = []
            for element in elements {
                guard case .string(let path) = element else { throw .malformedToken("\"\(field)\" must list strings") }
                result.append(Capability(unchecked: path))
            }
            return result
        default: throw .malformedToken("\"\(field)\" must be a list of capabilities")
        }
    }

    private static func bytes(_ value: JSONValue?, _ field: String) throws(CapabilityError) -> [UInt8]? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?:
            guard let decoded = Base64.decode(text) else { throw .malformedToken("\"\(field)\" is not base64") }
            return decoded
        default: throw .malformedToken("\"\(field)\" must be a base64 string")
        }
    }

    private static func unsigned(_ value: JSONValue?, _ field: String) throws(CapabilityError) -> UInt64 {
        switch value {
        case nil, .null?: return 0
        case .number(let literal)?:
            guard let number = UInt64(literal) else {
                throw .malformedToken("\"\(field)\" must be an unsigned integer, got \(literal)")
            }
            return number
        default: throw .malformedToken("\"\(field)\" must be a number")
        }
    }
}
