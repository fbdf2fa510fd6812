import DMSConfig
import Logging

/// The daemon's loggers: every logger writes to the console and to the rotating JSON-lines file at the
/// configured level. Loggers are created explicitly rather than through the global bootstrap so several
/// nodes can run in one test process.
public struct NodeLogging: Sendable {
    public let file: RotatingLogFile
    public let level: Logger.Level
    public let console: Bool

    public init(config: EffectiveConfig, console: Bool = true) throws(StartupError) {
        file = try RotatingLogFile(
            path: config.logFile, maximumBytes: config.logRotationBytes, backups: config.logBackups)
        level = config.logLevel
        self.console = console
    }

    public func logger(_ label: String) -> Logger {
        Logger(label: label) { label in
            let fileHandler = JSONLinesLogHandler(label: label, file: file, level: level)
            guard console else { return fileHandler }
            return MultiplexLogHandler([ConsoleLogHandler(label: label, level: level), fileHandler])
        }
    }
}
