import DMSConfig
import DMSStore
import Logging

/// What the daemon gives the services it runs: the configuration, the open store and loggers that write
/// to the node's console and log file.
public struct DaemonContext: Sendable {
    public let config: EffectiveConfig
    public let store: Store
    public let logging: NodeLogging

    public func logger(_ label: String) -> Logger { logging.logger(label) }
}
