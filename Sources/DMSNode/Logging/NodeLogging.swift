import DMSConfig
import Logging
import OTel

/// The daemon's loggers: every logger writes to the console and to the rotating JSON-lines file at the
/// level `levels` holds (changed at run time by `/dms/node/logger/config`). Each line carries the trace and
/// span ID of the span active when it was logged, if any. Loggers are created explicitly rather than through the
/// global bootstrap so several nodes can run in one test process.
public struct NodeLogging: Sendable {
    public let file: RotatingLogFile
    public let levels: LogLevelControl
    public let console: Bool
    private let spanMetadata = OTel.makeLoggingMetadataProvider()

    public init(config: EffectiveConfig, console: Bool = true) throws(StartupError) {
        file = try RotatingLogFile(
            path: config.logFile, maximumBytes: config.logRotationBytes, backups: config.logBackups)
        levels = LogLevelControl(config.logLevel)
        self.console = console
    }

    public var level: Logger.Level { levels.level }

    public func logger(_ label: String) -> Logger {
        Logger(label: label) { label in
            let fileHandler = JSONLinesLogHandler(
                label: label, file: file, levels: levels, metadataProvider: spanMetadata)
            guard console else { return fileHandler }
            return FanOutLogHandler(
                [ConsoleLogHandler(label: label, levels: levels, metadataProvider: spanMetadata), fileHandler],
                levels: levels)
        }
    }
}
