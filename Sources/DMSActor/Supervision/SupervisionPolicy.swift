/// Which children restart when one fails (Erlang/OTP semantics).
public enum SupervisorStrategy: String, Sendable, CaseIterable {
    /// Only the failed child.
    case oneForOne = "one_for_one"
    /// Every child: the others are stopped (in reverse start order) and all start again in order.
    case allForOne = "all_for_one"
    /// The failed child and those started after it.
    case restForOne = "rest_for_one"
}

/// When a child is restarted at all.
public enum RestartPolicy: String, Sendable {
    /// Always, whether it failed or ended normally.
    case permanent
    /// Only after a failure.
    case transient
    /// Never.
    case temporary
}

/// More than `maximumRestarts` restarts within `period` means restarting does not help: the supervisor
/// stops its children and fails, escalating to its own supervisor.
public struct RestartIntensity: Sendable, Equatable {
    public var maximumRestarts: Int
    public var period: Duration

    public init(maximumRestarts: Int, period: Duration) {
        self.maximumRestarts = maximumRestarts
        self.period = period
    }

    public static let `default` = RestartIntensity(maximumRestarts: 3, period: .seconds(5))
}

/// Delay before restarting a child: `initial`, multiplied by `multiplier` for each further restart of
/// that child within the intensity period, capped at `maximum`.
public struct Backoff: Sendable, Equatable {
    public var initial: Duration
    public var multiplier: Double
    public var maximum: Duration

    public init(initial: Duration, multiplier: Double = 2, maximum: Duration) {
        self.initial = initial
        self.multiplier = multiplier
        self.maximum = maximum
    }

    public static let none = Backoff(initial: .zero, multiplier: 1, maximum: .zero)

    func delay(afterRestarts count: Int) -> Duration {
        guard count > 0, initial > .zero else { return .zero }
        var delay = initial
        for _ in 1..<count { delay = min(maximum, delay * multiplier) }
        return min(maximum, delay)
    }
}

/// How to start one supervised child.
public struct ChildSpecification: Sendable {
    public let name: String
    public let restart: RestartPolicy
    public let start: @Sendable () async throws -> any SupervisedProcess

    public init(
        name: String, restart: RestartPolicy = .permanent,
        start: @escaping @Sendable () async throws -> any SupervisedProcess
    ) {
        self.name = name
        self.restart = restart
        self.start = start
    }
}

/// What a supervisor did, in order; for logs, statistics and tests.
public enum SupervisorEvent: Sendable, Equatable {
    case started(String)
    case exited(String, ProcessExit)
    case stopped(String)
    case restarted(String, delay: Duration)
    case startFailed(String, String)
    case escalated(String)
}
