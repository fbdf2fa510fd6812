import DMSCore

/// The payload of an error reply: `{"dms_error": {"code": …, "message": …}}`. A refused invocation gets
/// one when the caller asked for a reply, so it fails at once instead of waiting for its timeout. (The Go
/// DMS drops refused messages silently; a Go caller sees an undecodable reply and fails too.)
public enum ErrorReply {
    public static func payload(for error: ActorError) -> [UInt8] {
        JSONWriter().bytes(
            .object([
                ("dms_error", .object([("code", .string(error.code)), ("message", .string(error.description))]))
            ]))
    }

    /// The error carried by a reply payload, if it is an error reply.
    public static func error(in payload: [UInt8]?) -> ActorError? {
        guard let payload, payload.first == UInt8(ascii: "{"),
            let document = try? JSONParser.parse(payload), case .string(let code)? = document["dms_error"]?["code"]
        else { return nil }
        guard case .string(let message)? = document["dms_error"]?["message"] else {
            return .remote(code: code, message: code)
        }
        return .remote(code: code, message: message)
    }
}
