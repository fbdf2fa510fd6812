import DMSActor

/// One behavior of the DMS protocol as both sides know it: the name the daemon registers and the CLI calls
/// (also the capability a caller needs), the broadcast topic of broadcast behaviors, and the request and reply
/// types, so a name and its payloads are written once and cannot drift apart.
public struct BehaviorSpec<Request: Sendable, Reply: Sendable>: Sendable {
    public let name: String
    /// One line for `nunet actor cmd --help`.
    public let summary: String
    /// Set for broadcast behaviors: the topic their messages travel on.
    public let topic: String?

    public init(_ name: String, _ summary: String, topic: String? = nil) {
        self.name = name
        self.summary = summary
        self.topic = topic
    }

    /// What a caller's tokens must grant: the behavior's own name (`/dms/node` implies every
    /// `/dms/node/...` behavior).
    public var capability: String { name }

    /// A command a person gives a node (`/dms/node/...` and `/dms/cap/...`, what the CLI and the REST API send),
    /// as opposed to the protocol's traffic between nodes: with a tracer active, each command starts a trace.
    public var isCommand: Bool { name.hasPrefix("/dms/node/") || name.hasPrefix("/dms/cap/") }

    /// The catalogue entry without its types, for listings.
    public var description: BehaviorDescription {
        BehaviorDescription(name: name, summary: summary, topic: topic)
    }
}

/// A behavior's name, summary, topic and capability, without its payload types.
public struct BehaviorDescription: Sendable, Equatable {
    public let name: String
    public let summary: String
    public let topic: String?
    /// As for `BehaviorSpec`: the behavior's own name.
    public var capability: String { name }
}

extension BasicActor {
    /// Registers the catalogue's behavior `spec` (its topic too) with `handler`.
    public func addBehavior<Request, Reply>(
        _ spec: BehaviorSpec<Request, Reply>, options: BehaviorOptions = BehaviorOptions(),
        _ handler: @escaping BehaviorHandler
    ) {
        var options = options
        if options.topic == nil { options.topic = spec.topic }
        if spec.isCommand { options.startsTrace = true }
        addBehavior(spec.name, options: options, handler: handler)
    }
}
