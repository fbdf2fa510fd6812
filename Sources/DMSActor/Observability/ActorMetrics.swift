import CoreMetrics

/// Where an actor reports its traffic through swift-metrics: messages by behavior and outcome, handler
/// latency by behavior, refusals by reason and messages sent. The factory is passed in (not the global
/// `MetricsSystem`) so every node, and every test, owns its registry. Behavior names become labels only
/// through `label`, which folds per-request names (reply continuations) and unknown names into a fixed set,
/// so a sender cannot grow the label space.
public struct ActorMetrics: Sendable {
    public static let messages = "nunet_actor_messages_total"
    public static let handlerDuration = "nunet_actor_handler_duration_seconds"
    public static let refusals = "nunet_actor_refusals_total"
    public static let sent = "nunet_actor_messages_sent_total"

    /// How a message ended: its handler answered, its handler failed, or it was refused before the handler.
    public enum Outcome: String, Sendable {
        case handled, failed, refused
    }

    public let factory: any MetricsFactory
    /// The label of a behavior name; must map any name to one of a bounded set.
    public let label: @Sendable (String) -> String

    public init(factory: any MetricsFactory, label: @escaping @Sendable (String) -> String) {
        self.factory = factory
        self.label = label
    }

    func record(behavior: String, outcome: Outcome) {
        count(label(behavior), outcome)
    }

    /// A message whose handler ran for `duration`: its time and its outcome, under one label worked out once.
    func recordHandled(behavior: String, duration: Duration, failed: Bool) {
        let label = label(behavior)
        Timer(label: Self.handlerDuration, dimensions: [("behavior", label)], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
        count(label, failed ? .failed : .handled)
    }

    private func count(_ label: String, _ outcome: Outcome) {
        Counter(
            label: Self.messages, dimensions: [("behavior", label), ("outcome", outcome.rawValue)], factory: factory
        ).increment()
    }

    func recordRefusal(_ error: ActorError) {
        Counter(label: Self.refusals, dimensions: [("reason", Self.reason(error))], factory: factory).increment()
    }

    func recordSent() {
        Counter(label: Self.sent, factory: factory).increment()
    }

    /// A span name for an actor without metrics: reply continuations (one name per request) folded into their
    /// prefix, other names as they are.
    static func foldingReplies(_ name: String) -> String {
        name.hasPrefix(ActorSecurity.replyPrefix + "/") ? ActorSecurity.replyPrefix : name
    }

    /// A refusal's reason label: the error's stable code, except a remote actor's code, which is the remote's
    /// text and so unbounded.
    static func reason(_ error: ActorError) -> String {
        if case .remote = error { return "remote" }
        return error.code
    }
}

extension Duration {
    /// Whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled + attoseconds / 1_000_000_000
    }
}
