import ArgumentParser
import DMSAPI
import DMSConfig
import DMSCrypto
import DMSNode
import DMSResources

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start the node daemon (until SIGINT or SIGTERM).",
        discussion: """
            Loads the configuration, checks that the data directory, ports and store are usable, locks the \
            data directory against a second daemon, unlocks the node key (created on first start; the \
            passphrase comes from DMS_PASSPHRASE or a prompt), then serves until stopped. Flags override the \
            config file and DMS_* environment variables.

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

    @Option(
        name: [.customShort("c"), .customLong("context")], help: "Identity (key and capability context) of the node.")
    var context = "dms"

    func run() async throws {
        AllocatorTuning.restartTunedIfNeeded()
        let flags: [(key: String, flag: String, text: String?)] = [
            ("general.data_dir", "--data-dir", dataDirectory),
            ("rest.addr", "--rest-addr", restAddress),
            ("rest.port", "--rest-port", restPort),
            ("general.log_level", "--log-level", logLevel),
        ]
        let config = try ConfigLoader(environment: .current).load(
            explicitFile: configFile.path,
            flags: flags.compactMap { flag in flag.text.map { (flag.key, flag.flag, $0) } })
        let environment = HostEnvironment.current
        let contextName = context
        try await Daemon.run(config: config) { daemon in
            let identity = try NodeIdentity.load(
                dataDirectory: config.dataDirectory, contextName: contextName, kdfCost: config.keystoreKDFCost
            ) { prompt, confirm in
                try Passphrase.obtain(prompt: prompt, confirm: confirm, environment: environment.variables)
            }
            let resources = try NodeResources(
                store: daemon.store, hardware: HardwareMonitor(dataDirectory: config.dataDirectory),
                logger: daemon.logger("nunet.resources"))
            let peerToPeer = try await PeerToPeer.start(
                identity: identity, settings: PeerToPeer.Settings(config: config), logger: daemon.logger("nunet.p2p"))
            let node = Node(
                identity: identity, network: peerToPeer.network, peerToPeer: peerToPeer,
                listenAddresses: peerToPeer.listenAddresses.map(\.description), resources: resources,
                deployments: DeploymentSetup.standard(
                    store: daemon.store, config: config, owner: identity.peerID.description,
                    logger: daemon.logger("nunet.docker")),
                logger: daemon.logger("nunet.node"), logLevels: daemon.logging.levels)
            // First in the group, so it stops last and flushes the spans of everything stopping before it.
            let tracing = try NodeTracing.service(
                config: config, instance: identity.peerID.description, logger: daemon.logger("nunet.tracing"))
            return (tracing.map { [$0] } ?? [])
                + [NodeService(node: node), RESTServer.service(context: daemon, node: node), MemoryTrim()]
        }
    }
}

/// `--config PATH`: read this file instead of searching `.`, `$HOME/.nunet` and `/etc/nunet`.
struct ConfigFileOption: ParsableArguments {
    @Option(name: .customLong("config"), help: "Config file to use instead of searching for dms_config.json.")
    var path: String?
}
