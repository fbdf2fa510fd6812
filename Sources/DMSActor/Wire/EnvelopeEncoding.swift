import DMSCapabilities
import DMSCore
import DMSCrypto
import Multiformats

/// Go `encoding/json` bytes of envelopes and handles: field order of the Go structs, `omitempty` where
/// Go has it, byte strings as padded base64, the actor ID as `{"pub": <base32 std>}`.
enum EnvelopeEncoding {
    static func append(_ envelope: Envelope, signed: Bool, to output: inout [UInt8]) {
        output.append(contentsOf: #"{"to":"#.utf8)
        append(envelope.to, to: &output)
        output.append(contentsOf: #","be":"#.utf8)
        GoJSON.appendQuoted(envelope.behavior, to: &output)
        output.append(contentsOf: #","from":"#.utf8)
        append(envelope.from, to: &output)
        output.append(contentsOf: #","nonce":"#.utf8)
        GoJSON.appendUnsigned(envelope.nonce, to: &output)
        output.append(contentsOf: #","opt":{"exp":"#.utf8)
        GoJSON.appendUnsigned(envelope.options.expiry, to: &output)
        if !envelope.options.replyTo.isEmpty {
            output.append(contentsOf: #","cont":"#.utf8)
            GoJSON.appendQuoted(envelope.options.replyTo, to: &output)
        }
        if !envelope.options.topic.isEmpty {
            output.append(contentsOf: #","topic":"#.utf8)
            GoJSON.appendQuoted(envelope.options.topic, to: &output)
        }
        output.append(contentsOf: #"},"msg":"#.utf8)
        if let message = envelope.message {
            GoJSON.appendBase64(message, to: &output)
        } else {
            output.append(contentsOf: "null".utf8)
        }
        if !envelope.capability.isEmpty {
            output.append(contentsOf: #","cap":"#.utf8)
            GoJSON.appendBase64(envelope.capability, to: &output)
        }
        if signed && !envelope.signature.isEmpty {
            output.append(contentsOf: #","sig":"#.utf8)
            GoJSON.appendBase64(envelope.signature, to: &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    static func append(_ handle: ActorHandle, to output: inout [UInt8]) {
        output.append(contentsOf: #"{"id":{"pub":"#.utf8)
        GoJSON.appendQuoted(Base32.encode(handle.id), to: &output)
        output.append(contentsOf: #"},"did":"#.utf8)
        handle.did.appendGoJSON(to: &output)
        output.append(contentsOf: #","addr":{"#.utf8)
        var separator = false
        if !handle.address.host.isEmpty {
            output.append(contentsOf: #""host":"#.utf8)
            GoJSON.appendQuoted(handle.address.host, to: &output)
            separator = true
        }
        if !handle.address.inbox.isEmpty {
            if separator { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: #""inbox":"#.utf8)
            GoJSON.appendQuoted(handle.address.inbox, to: &output)
        }
        output.append(contentsOf: "}}".utf8)
    }
}

extension ActorHandle {
    /// Go JSON bytes of the handle.
    public var encoding: [UInt8] {
        var output: [UInt8] = []
        EnvelopeEncoding.append(self, to: &output)
        return output
    }

    /// Decodes a handle object; the ID must be a valid protobuf public key when present.
    public init(json: JSONValue) throws(ActorError) {
        guard case .object = json else { throw .malformed("a handle must be an object") }
        var id: [UInt8] = []
        if let idValue = json["id"], idValue != .null {
            guard case .string(let text)? = idValue["pub"], let decoded = Base32.decode(text) else {
                throw .malformed("\"id\" must be {\"pub\": <base32>}")
            }
            id = decoded
        }
        var did = DID.empty
        if case .string(let uri)? = json["did"]?["uri"], !uri.isEmpty {
            guard let parsed = try? DID(uri) else { throw .malformed("\"did\" is not a DID: \(uri)") }
            did = parsed
        }
        var address = ActorAddress()
        if let addr = json["addr"], addr != .null {
            if case .string(let host)? = addr["host"] { address.host = host }
            if case .string(let inbox)? = addr["inbox"] { address.inbox = inbox }
        }
        self.init(id: id, did: did, address: address)
    }
}

extension Envelope {
    /// Decodes an envelope from its wire JSON.
    public init(decoding bytes: [UInt8]) throws(ActorError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw .malformed("envelope is not valid JSON: \(error)")
        }
        try self.init(json: json)
    }

    public init(json: JSONValue) throws(ActorError) {
        guard case .object = json else { throw .malformed("an envelope must be a JSON object") }
        func bytes(_ field: String) throws(ActorError) -> [UInt8]? {
            switch json[field] {
            case nil, .null?: return nil
            case .string(let text)?:
                guard let decoded = Base64.decode(text) else { throw .malformed("\"\(field)\" is not base64") }
                return decoded
            default: throw .malformed("\"\(field)\" must be a base64 string")
            }
        }
        func unsigned(_ value: JSONValue?, _ field: String) throws(ActorError) -> UInt64 {
            switch value {
            case nil, .null?: return 0
            case .number(let literal)?:
                guard let number = UInt64(literal) else { throw .malformed("\"\(field)\" must be an unsigned integer") }
                return number
            default: throw .malformed("\"\(field)\" must be a number")
            }
        }
        func text(_ value: JSONValue?, _ field: String) throws(ActorError) -> String {
            switch value {
            case nil, .null?: return ""
            case .string(let string)?: return string
            default: throw .malformed("\"\(field)\" must be a string")
            }
        }
        let options = json["opt"]
        self.init(
            to: try json["to"].map { value throws(ActorError) in try ActorHandle(json: value) } ?? .empty,
            behavior: try text(json["be"], "be"),
            from: try json["from"].map { value throws(ActorError) in try ActorHandle(json: value) } ?? .empty,
            nonce: try unsigned(json["nonce"], "nonce"),
            options: EnvelopeOptions(
                expiry: try unsigned(options?["exp"], "opt.exp"), replyTo: try text(options?["cont"], "opt.cont"),
                topic: try text(options?["topic"], "opt.topic")),
            message: try bytes("msg"), capability: try bytes("cap") ?? [], signature: try bytes("sig") ?? [])
    }
}
