import ArgumentParser
import DMSAPI
import DMSNode

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start the node daemon (until SIGINT or SIGTERM).",
        discussion: """
            Loads the configuration, checks that the data directory, ports and store are usable, locks the \
            data directory against a second daemon, then serves until stopped. Flags override the config \
            file and DMS_* environment variables.

            Example:
              nunet run --rest-port 9999 --log-level debug
            """)

    @OptionGroup var configFile: ConfigFileOption

    @Option(name: .customLong("data-dir"), help: "Data directory (general.data_dir).")
    var dataDirectory: String?

    @Option(name: .customLong("rest-addr"), help: "REST listen address (rest.addr).")
    var restAddress: String?

    @Option(name: .customLong("rest-port"), help: "REST listen port (rest.port).")
    var restPort: String?

    @Option(name: .customLong("log-level"), help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    func run() async throws {
        let flags: [(key: String, flag: String, text: String?)] = [
            ("general.data_dir", "--data-dir", dataDirectory),
            ("rest.addr", "--rest-addr", restAddress),
            ("rest.port", "--rest-port", restPort),
            ("general.log_level", "--log-level", logLevel),
        ]
        let config = try ConfigLoader(environment: .current).load(
            explicitFile: configFile.path,
            flags: flags.compactMap { flag in flag.text.map { (flag.key, flag.flag, $0) } })
        try await Daemon.run(config: config) { context in
            [RESTServer.service(context: context)]
        }
    }
}

/// `--config PATH`: read this file instead of searching `.`, `$HOME/.nunet` and `/etc/nunet`.
struct ConfigFileOption: ParsableArguments {
    @Option(name: .customLong("config"), help: "Config file to use instead of searching for dms_config.json.")
    var path: String?
}
