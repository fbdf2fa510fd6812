import DMSCore

/// The behaviors `nunet actor cmd` knows, with their flags and how the flags become the payload. A
/// behavior not listed here can still be called with `--payload <json>`.
struct BehaviorCall: Sendable {
    struct Flag: Sendable {
        let name: String
        let help: String
    }

    let behavior: String
    let summary: String
    /// Set for broadcast behaviors.
    let topic: String?
    let flags: [Flag]
    let payload: @Sendable ([String: String]) throws -> [UInt8]?

    static let catalog: [BehaviorCall] = [
        BehaviorCall(
            behavior: "/public/hello", summary: "Say hello to a node; it answers with its DID.", topic: nil, flags: []
        ) { _ in nil },
        BehaviorCall(behavior: "/public/status", summary: "A node's status and version.", topic: nil, flags: []) { _ in
            nil
        },
        BehaviorCall(
            behavior: "/broadcast/hello", summary: "Broadcast hello on /nunet/hello; every node answers.",
            topic: "/nunet/hello",
            flags: []
        ) { _ in nil },
        BehaviorCall(
            behavior: "/dms/node/peers/self", summary: "The node's peer ID and listen addresses.", topic: nil, flags: []
        ) { _ in nil },
        BehaviorCall(
            behavior: "/dms/node/stats", summary: "Message statistics of the node's actors.", topic: nil, flags: []
        ) { _ in nil },
    ]

    static func named(_ behavior: String) -> BehaviorCall? { catalog.first { $0.behavior == behavior } }

    /// Parses `--flag value` pairs (and `--payload`) for this behavior.
    func parse(_ arguments: [String]) throws -> (payload: [UInt8]?, raw: Bool) {
        var values: [String: String] = [:]
        var index = 0
        var rawPayload: [UInt8]?
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--") else {
                throw CLIError("unexpected argument \"\(argument)\" for \(behavior)")
            }
            let name = String(argument.dropFirst(2))
            guard index + 1 < arguments.count else { throw CLIError("--\(name) needs a value") }
            let value = arguments[index + 1]
            if name == "payload" {
                guard (try? JSONParser.parse(value)) != nil else { throw CLIError("--payload must be JSON: \(value)") }
                rawPayload = Array(value.utf8)
            } else if flags.contains(where: { $0.name == name }) {
                values[name] = value
            } else {
                let known = flags.map { "--\($0.name)" } + ["--payload"]
                throw CLIError("unknown flag --\(name) for \(behavior); known: \(known.joined(separator: ", "))")
            }
            index += 2
        }
        if let rawPayload { return (rawPayload, true) }
        return (try payload(values), false)
    }
}
