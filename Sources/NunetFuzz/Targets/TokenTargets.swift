import DMSCapabilities
import DMSCore

extension FuzzTarget {
    /// One wrapped capability token (`{"dms": …}`), as the CLI and anchors read it: what decodes keeps its
    /// Go encoding through a token list.
    static let token = FuzzTarget(
        name: "token", maxLength: 256,
        seeds: {
            try GoSamples.tokenLists.compactMap { list in
                guard case .array(let tokens)? = try JSONParser.parse(list)["tok"], let first = tokens.first else {
                    return nil
                }
                return JSONWriter().bytes(first)
            }
        },
        run: { input throws(FuzzFailure) in
            guard let document = try? JSONParser.parse(input), let token = try? CapabilityToken(wrapped: document)
            else {
                return
            }
            try requireRoundTrip(TokenList([token]))
        })

    /// Token lists (`{"tok": […]}`) come in every envelope's `cap` member and in anchor files.
    static let tokenList = FuzzTarget(
        name: "token-list", maxLength: 256, seeds: { GoSamples.tokenLists.map { Array($0.utf8) } },
        run: { input throws(FuzzFailure) in
            guard let list = try? TokenList(parsing: String(decoding: input, as: UTF8.self)) else { return }
            try requireRoundTrip(list)
        })

    /// A list's Go JSON parses back to the same tokens.
    private static func requireRoundTrip(_ list: TokenList) throws(FuzzFailure) {
        try require((try? TokenList(parsing: list.json)) == list, "token list re-decodes differently: \(list.json)")
    }
}
