/// Who may use the REST API. On loopback (the default) anyone who can connect may, as before: the
/// actor routes carry their own authority in signed envelopes, and the read routes show only what the
/// machine's users can see anyway. Beyond loopback every route but `/health` needs a token.
public enum RESTAccess: Sendable {
    case open
    case token(RESTTokens)

    /// `open` on a loopback address, `token` otherwise (tokens kept in `dataDirectory`).
    public static func forAddress(_ address: String, dataDirectory: String) -> RESTAccess {
        isLoopback(address) ? .open : .token(RESTTokens(dataDirectory: dataDirectory))
    }

    /// `127.0.0.0/8`, `::1` and `localhost`; anything else, `0.0.0.0` and `::` included, is reachable
    /// from elsewhere.
    public static func isLoopback(_ address: String) -> Bool {
        let parts = address.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts[0] == "127", parts.allSatisfy({ UInt8($0) != nil }) { return true }
        return address == "::1" || address == "[::1]" || address.lowercased() == "localhost"
    }
}
