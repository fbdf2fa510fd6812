import DMSActor
import DMSCapabilities
import DMSCore
import DMSCrypto
import Foundation

/// Payloads of the `/dms/cap/...` behaviors. Tokens travel in their Go JSON (`{"tok":[…]}`), which is
/// what their signatures cover, so these payloads are written with `JSONWriter` rather than `Codable`.
public enum CapabilityPayload {
    /// `{"Token": TokenList}`: the payload of `/dms/cap/{provide,require,revoke}/anchor` and of the
    /// revocation broadcast, as the Go DMS names it.
    public static func tokens(_ tokens: [CapabilityToken]) -> [UInt8] {
        JSONWriter().bytes(.object([("Token", tokenList(tokens))]))
    }

    /// The tokens of a `{"Token": TokenList}` payload; a malformed one is refused naming the field.
    public static func tokens(from payload: [UInt8]) throws -> [CapabilityToken] {
        let document = try object(payload)
        guard let list = document["Token"], list != .null else {
            throw ActorError.invalidRequest("\"Token\" is required: a token list {\"tok\": [...]}")
        }
        return try tokens(list, field: "Token")
    }

    /// The anchors as `{"Roots": [{"uri"}], "Require", "Provide", "Revoke"}` (token lists): the answer of
    /// `/dms/cap/list` (with `OK` and `Error`) and the payload of `/dms/cap/anchor`.
    public static func anchors(_ anchors: CapabilityAnchors, ok: Bool? = nil, error: String? = nil) -> [UInt8] {
        var members: [(key: String, value: JSONValue)] = []
        if let ok { members.append(("OK", .bool(ok))) }
        if let error { members.append(("Error", .string(error))) }
        members += [
            ("Roots", .array(anchors.roots.map { .object([("uri", .string($0.uri))]) })),
            ("Require", tokenList(anchors.require)), ("Provide", tokenList(anchors.provide)),
            ("Revoke", tokenList(anchors.revoke)),
        ]
        return JSONWriter().bytes(.object(members))
    }

    /// The anchors of a `/dms/cap/anchor` payload (or a `/dms/cap/list` answer); every field may be
    /// left out, roots may be `{"uri": DID}` or plain DID strings. Malformed fields are refused naming them.
    public static func anchors(from payload: [UInt8]) throws -> CapabilityAnchors {
        let document = try object(payload)
        var roots: [DID] = []
        if case .array(let entries)? = document["Roots"] {
            for entry in entries {
                var uri = ""
                if case .string(let text) = entry {
                    uri = text
                } else if case .string(let text)? = entry["uri"] {
                    uri = text
                }
                do {
                    roots.append(try DID(uri))
                } catch {
                    throw ActorError.invalidRequest("invalid \"Roots\" entry \"\(uri)\": \(error)")
                }
            }
        } else if let value = document["Roots"], value != .null {
            throw ActorError.invalidRequest("\"Roots\" must be a list of DIDs")
        }
        func list(_ field: String) throws -> [CapabilityToken] {
            guard let value = document[field], value != .null else { return [] }
            return try tokens(value, field: field)
        }
        return CapabilityAnchors(
            roots: roots, require: try list("Require"), provide: try list("Provide"), revoke: try list("Revoke"))
    }

    private static func tokenList(_ tokens: [CapabilityToken]) -> JSONValue {
        (try? JSONParser.parse(TokenList(tokens).encoding)) ?? .object([])
    }

    private static func tokens(_ value: JSONValue, field: String) throws -> [CapabilityToken] {
        do {
            return try TokenList(json: value).tokens
        } catch {
            throw ActorError.invalidRequest("invalid \"\(field)\": \(error)")
        }
    }

    private static func object(_ payload: [UInt8]) throws -> JSONValue {
        let document: JSONValue
        do {
            document = try JSONParser.parse(payload.isEmpty ? Array("{}".utf8) : payload)
        } catch {
            throw ActorError.invalidRequest("payload is not JSON: \(error)")
        }
        guard case .object = document else { throw ActorError.invalidRequest("payload must be a JSON object") }
        return document
    }
}

/// Why a payload could not be read; the message names the field and what it must be.
public struct ActorPayloadError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// `/dms/cap/list` request: the context to list (the node serves its own; empty means that one).
public struct CapListRequest: Codable, Sendable, Equatable {
    public var context: String?

    public init(context: String? = nil) { self.context = context }

    enum CodingKeys: String, CodingKey {
        case context = "Context"
    }
}

/// `/dms/cap/revoke/broadcast` reply: how many revocations were published.
public struct RevokeBroadcastResponse: Codable, Sendable, Equatable {
    public var ok: Bool
    public var error: String
    public var tokensCount: Int

    public init(ok: Bool, error: String, tokensCount: Int) {
        self.ok = ok
        self.error = error
        self.tokensCount = tokensCount
    }

    enum CodingKeys: String, CodingKey {
        case ok = "OK"
        case error = "Error"
        case tokensCount = "TokensCount"
    }
}

/// `/dms/cap/...anchor` reply: `{"OK", "Error"}`, the same shape as the deployment replies.
public typealias CapabilityOKResponse = DeploymentOKResponse
