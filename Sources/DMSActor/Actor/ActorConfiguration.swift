import Logging

/// Tuning of one actor: the mailbox bound, how many handlers run at once, the rate limiter (shared by
/// the actors of a node), where it logs and where it reports metrics.
public struct ActorConfiguration: Sendable {
    /// Messages waiting for a worker beyond this are refused as overload.
    public var mailboxCapacity = 1024
    /// Handlers running at once.
    public var concurrency = 32
    public var limiter = RateLimiter()
    public var logger = Logger(label: "nunet.actor", factory: { _ in SwiftLogNoOpLogHandler() })
    /// Where traffic is counted for metrics (shared by the actors of a node, like the limiter); nil counts
    /// only the in-process `ActorStatistics`.
    public var metrics: ActorMetrics?

    public init() {}
}
