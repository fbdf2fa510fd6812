import Logging

/// Hands every entry to several sinks (console and file) at the daemon's shared level. swift-log's
/// `MultiplexLogHandler` keeps the level it computed when it was made, so a level changed at run time would not
/// reach loggers built on it; this one reads the shared level on every check.
struct FanOutLogHandler: LogHandler {
    var sinks: [any LogHandler]
    private let levels: LogLevelControl

    init(_ sinks: [any LogHandler], levels: LogLevelControl) {
        self.sinks = sinks
        self.levels = levels
    }

    var logLevel: Logger.Level {
        get { levels.level }
        nonmutating set { levels.set(newValue) }
    }

    var metadata: Logger.Metadata {
        get { sinks.first?.metadata ?? [:] }
        set {
            for index in sinks.indices { sinks[index].metadata = newValue }
        }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { sinks.first?[metadataKey: key] }
        set {
            for index in sinks.indices { sinks[index][metadataKey: key] = newValue }
        }
    }

    func log(event: LogEvent) {
        for sink in sinks { sink.log(event: event) }
    }
}
