import DMSActor
import DMSCore

extension FuzzTarget {
    /// REST bodies: the relay routes read an envelope from the request body, the CLI reads handles and
    /// `{"error": …}` answers. The JSON parser under all of them writes back what it accepts unchanged.
    static let restBody = FuzzTarget(
        name: "rest-body", maxLength: 256,
        seeds: {
            [#"{"error":"no such behavior","code":"unknown"}"#, #"{"message":"message sent"}"#, "[1,2.5e3,null]"]
                .map { Array($0.utf8) } + GoSamples.envelopes.map { Array($0.utf8) }
        },
        run: { input throws(FuzzFailure) in
            guard let document = try? JSONParser.parse(input) else { return }
            let written = JSONWriter().bytes(document)
            try require((try? JSONParser.parse(written)) == document, "JSON re-parses differently")
            if let envelope = try? Envelope(json: document) {
                try require(
                    (try? Envelope(decoding: input)) == envelope, "envelope from the tree differs from the bytes")
            }
            if case .object = document, let handle = document["handle"] ?? document["to"] {
                _ = try? ActorHandle(json: handle)
            }
        })
}
