import Logging
import Synchronization

/// The daemon's log level, shared by every handler of every logger so `/dms/node/logger/config` (and
/// `nunet log-level`) changes it at once, without a restart.
public final class LogLevelControl: Sendable {
    private let index: Atomic<Int>

    public init(_ level: Logger.Level) {
        index = Atomic(Self.levels.firstIndex(of: level) ?? 2)
    }

    private static let levels = Logger.Level.allCases

    public var level: Logger.Level { Self.levels[index.load(ordering: .relaxed)] }

    /// Sets the level; returns the one it replaced.
    @discardableResult
    public func set(_ level: Logger.Level) -> Logger.Level {
        Self.levels[index.exchange(Self.levels.firstIndex(of: level) ?? 2, ordering: .relaxed)]
    }
}
