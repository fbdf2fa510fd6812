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
        if signed, let traceParent = envelope.options.traceParent {
            output.append(contentsOf: #","traceparent":"#.utf8)
            GoJSON.appendQuoted(traceParent, to: &output)
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
        GoJSON.appendQuoted(ActorIDText.text(for: handle.id), to: &output)
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

    /// Decodes a handle object; the ID must be a valid base32 protobuf public key when present.
    public init(json: JSONValue) throws(ActorError) {
        var scanner = JSONScanner(JSONWriter().bytes(json))
        self = try EnvelopeDecoding.handle(&scanner, field: "handle")
    }
}

extension Envelope {
    /// Decodes an envelope from its wire JSON, straight from the bytes (no intermediate tree), with
    /// errors that name the field.
    public init(decoding bytes: [UInt8]) throws(ActorError) {
        self = try EnvelopeDecoding.envelope(bytes)
    }

    public init(json: JSONValue) throws(ActorError) {
        self = try EnvelopeDecoding.envelope(JSONWriter().bytes(json))
    }
}

/// The envelope and handle decoders over `JSONScanner`. Unknown members are skipped, as Go does.
enum EnvelopeDecoding {
    static func envelope(_ bytes: [UInt8]) throws(ActorError) -> Envelope {
        var scanner = JSONScanner(bytes)
        var envelope = Envelope(
            to: .empty, behavior: "", from: .empty, options: EnvelopeOptions(expiry: 0), message: nil)
        // Where the previous member's value ended and where the `sig` member lies, to cut it out.
        var previousEnd: Int?
        var signatureRange: Range<Int>?
        // Likewise for `opt.traceparent`, which is not signed either (see `EnvelopeOptions.traceParent`).
        var traceRange: Range<Int>?
        do throws(JSONParseError) {
            try scanner.members { (key, value) throws(JSONParseError) in
                defer { previousEnd = value.position }
                switch key {
                case "to": envelope.to = try handleFields(&value)
                case "from": envelope.from = try handleFields(&value)
                case "be": envelope.behavior = try text(&value, "be")
                case "nonce": envelope.nonce = try number(&value, "nonce")
                case "opt":
                    if value.consumeNull() { break }
                    var previousOptionEnd: Int?
                    try value.members { (option, inner) throws(JSONParseError) in
                        defer { previousOptionEnd = inner.position }
                        switch option {
                        case "exp": envelope.options.expiry = try number(&inner, "opt.exp")
                        case "cont": envelope.options.replyTo = try text(&inner, "opt.cont")
                        case "topic": envelope.options.topic = try text(&inner, "opt.topic")
                        case "traceparent":
                            envelope.options.traceParent = try text(&inner, "opt.traceparent")
                            if let previousOptionEnd { traceRange = previousOptionEnd..<inner.position }
                        default: try inner.skipValue()
                        }
                    }
                case "msg": envelope.message = try bytesValue(&value, "msg")
                case "cap": envelope.capability = try bytesValue(&value, "cap") ?? []
                case "sig":
                    envelope.signature = try bytesValue(&value, "sig") ?? []
                    if let previousEnd { signatureRange = previousEnd..<value.position }
                default: try value.skipValue()
                }
            }
            try scanner.finish()
        } catch {
            throw .malformed(error.reason.hasPrefix("\"") ? error.reason : "envelope is not valid JSON: \(error)")
        }
        // The signed bytes are the received ones without `,"sig":…`. Set last, after every field.
        if signatureRange != nil || traceRange != nil {
            var unsigned = bytes
            // The later range first, so the earlier one's offsets still hold.
            for range in [signatureRange, traceRange].compactMap(\.self).sorted(by: { $0.lowerBound > $1.lowerBound }) {
                unsigned.removeSubrange(range)
            }
            envelope.received = unsigned
        } else if envelope.signature.isEmpty {
            envelope.received = bytes
        }
        return envelope
    }

    static func handle(_ scanner: inout JSONScanner, field: String) throws(ActorError) -> ActorHandle {
        do throws(JSONParseError) {
            return try handleFields(&scanner)
        } catch {
            throw .malformed(error.reason.hasPrefix("\"") ? error.reason : "\(field): \(error)")
        }
    }

    private static func handleFields(_ scanner: inout JSONScanner) throws(JSONParseError) -> ActorHandle {
        var handle = ActorHandle.empty
        if scanner.consumeNull() { return handle }
        try scanner.members { (key, value) throws(JSONParseError) in
            switch key {
            case "id":
                if value.consumeNull() { break }
                try value.members { (member, inner) throws(JSONParseError) in
                    guard member == "pub" else { return try inner.skipValue() }
                    guard let id = ActorIDText.id(for: try inner.string()) else {
                        throw JSONParseError(line: 0, column: 0, reason: "\"id\" must be {\"pub\": <base32>}")
                    }
                    handle.id = id
                }
            case "did":
                if value.consumeNull() { break }
                try value.members { (member, inner) throws(JSONParseError) in
                    guard member == "uri" else { return try inner.skipValue() }
                    let uri = try text(&inner, "did.uri")
                    guard !uri.isEmpty else { return }
                    guard let did = try? DID(uri) else {
                        throw JSONParseError(line: 0, column: 0, reason: "\"did\" is not a DID: \(uri)")
                    }
                    handle.did = did
                }
            case "addr":
                if value.consumeNull() { break }
                try value.members { (member, inner) throws(JSONParseError) in
                    switch member {
                    case "host": handle.address.host = try text(&inner, "addr.host")
                    case "inbox": handle.address.inbox = try text(&inner, "addr.inbox")
                    default: try inner.skipValue()
                    }
                }
            default: try value.skipValue()
            }
        }
        return handle
    }

    private static func text(_ scanner: inout JSONScanner, _ field: String) throws(JSONParseError) -> String {
        if scanner.consumeNull() { return "" }
        do {
            return try scanner.string()
        } catch {
            throw JSONParseError(line: error.line, column: error.column, reason: "\"\(field)\" must be a string")
        }
    }

    private static func number(_ scanner: inout JSONScanner, _ field: String) throws(JSONParseError) -> UInt64 {
        if scanner.consumeNull() { return 0 }
        do {
            return try scanner.unsigned()
        } catch {
            let kind = field == "nonce" ? "a number" : "an unsigned integer"
            throw JSONParseError(line: error.line, column: error.column, reason: "\"\(field)\" must be \(kind)")
        }
    }

    private static func bytesValue(_ scanner: inout JSONScanner, _ field: String) throws(JSONParseError) -> [UInt8]? {
        if scanner.consumeNull() { return nil }
        do {
            return try scanner.base64()
        } catch {
            throw JSONParseError(line: error.line, column: error.column, reason: "\"\(field)\" is not base64")
        }
    }
}
