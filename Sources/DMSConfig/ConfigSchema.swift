import DMSCore
import Foundation

/// Every configuration key the node understands, in the order `config show` prints them.
public enum ConfigSchema {
    public static let fileName = "dms_config.json"

    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    public static let keys: [ConfigKey] = [
        ConfigKey(
            "general.data_dir", .string(.path),
            "Directory for keys, capability contexts, the store, logs and the lock.",
            default: { context in
                let note = context.environment.variables["NUNET_HOME"].map { _ in "$NUNET_HOME" }
                return (.string(context.environment.nunetHome), note)
            }),
        ConfigKey(
            "general.log_level", .choice(logLevels), "Least severe log level written to console and file.",
            default: .string("info")),
        ConfigKey(
            "general.log_file", .string(.path), "JSON-lines log file (rotated by size).",
            default: { context in
                let dataDirectory = context.resolved["general.data_dir"]?.stringValue ?? context.environment.nunetHome
                let path = (dataDirectory as NSString).appendingPathComponent("logs/nunet.jsonl")
                return (.string(path), "in general.data_dir")
            }),
        ConfigKey(
            "general.keystore_kdf_cost", .integer(10...22),
            "scrypt cost of new key files as log2 N (18 = 256 MiB, about a second to unlock).",
            default: .integer(18)),
        ConfigKey(
            "general.host_continent", .string(.continent),
            "Where this provider is, offered in bids so location rules can match it (empty: unknown).",
            default: .string("")),
        ConfigKey(
            "general.host_country", .string(.countryCode), "The provider's country (ISO 3166 two-letter code).",
            default: .string("")),
        ConfigKey("general.host_city", .string(.anyText), "The provider's city.", default: .string("")),
        ConfigKey("rest.addr", .string(.ipAddress), "Address the REST API listens on.", default: .string("127.0.0.1")),
        ConfigKey("rest.port", .integer(1...65535), "Port the REST API listens on.", default: .integer(9999)),
        ConfigKey(
            "rest.max_connections", .integer(1...65535),
            "Most REST connections open at once; further ones are closed as soon as they are accepted.",
            default: .integer(256)),
        ConfigKey(
            "rest.header_timeout_seconds", .integer(1...3600),
            "Seconds a REST connection has to deliver a request's headers, after connecting or after the previous response (so idle keep-alive connections close too).",
            default: .integer(10)),
        ConfigKey(
            "rest.body_timeout_seconds", .integer(1...3600),
            "Seconds a REST request has to deliver its body once the headers are in.", default: .integer(30)),
        ConfigKey(
            "p2p.listen_addresses", .list(.multiaddress), "Multiaddresses the peer-to-peer host listens on.",
            default: .list(["/ip4/0.0.0.0/tcp/9000"])),
        ConfigKey(
            "p2p.bootstrap_peers", .list(.peerMultiaddress), "Peers dialled at start to join the network.",
            default: .list([])),
        ConfigKey(
            "p2p.dht_mode", .choice(["auto", "server", "client"]),
            "Kademlia DHT mode: server answers other peers' lookups, client only asks; auto is server when listening.",
            default: .string("auto")),
        ConfigKey(
            "p2p.rendezvous", .string(.anyText),
            "Namespace nodes advertise in the DHT to find each other (the Go DMS uses nunet-test).",
            default: .string("nunet-test")),
        ConfigKey(
            "p2p.discovery_limit", .integer(1...1000), "Most peers asked for and dialled per discovery round.",
            default: .integer(40)),
        ConfigKey(
            "p2p.discovery_interval_seconds", .integer(1...86400),
            "Seconds between discovery rounds (the first runs at start).", default: .integer(900)),
        ConfigKey(
            "p2p.dht_refresh_seconds", .integer(1...86400),
            "Seconds between routing-table refreshes (self lookup and one lookup per bucket).", default: .integer(600)),
        ConfigKey(
            "p2p.mdns", .boolean, "Whether to find and announce peers on the local network by multicast DNS.",
            default: .boolean(false)),
        ConfigKey(
            "job.public_port_min", .integer(1...65535), "Lowest host port a job may publish.",
            default: .integer(16384)),
        ConfigKey(
            "job.public_port_max", .integer(1...65535), "Highest host port a job may publish.",
            default: .integer(65535)),
        ConfigKey(
            "provider.currency", .choice(ComputeCapability.Price.currencies),
            "Currency of the provider's prices.", default: .string("NTX")),
        ConfigKey(
            "provider.price_per_hour", .string(.amount), "What an hour of a job costs here (0: free).",
            default: .string("0")),
        ConfigKey(
            "provider.price_per_job", .string(.amount), "What every job costs here on top of its hours.",
            default: .string("0")),
        ConfigKey(
            "provider.max_job_time", .string(.jobTime),
            "The longest job accepted, as ensembles state it in requirements.duration (empty: no limit).",
            default: .string("")),
        ConfigKey(
            "provider.available_until", .string(.instant),
            "When this provider stops taking jobs: none that would run past it is accepted (empty: open-ended).",
            default: .string("")),
        ConfigKey(
            "provider.job_types", .list(.jobType),
            "The kinds of job taken: tasks are batch, services long_running (all four: any).",
            default: .list(ComputeCapability.JobType.allCases.map(\.rawValue))),
        ConfigKey(
            "provider.public_ports", .boolean,
            "Whether jobs' ports are reachable on a public address here (false: nodes with ports go elsewhere).",
            default: .boolean(true)),
        ConfigKey(
            "provider.vpn", .boolean, "Whether this machine can join a job's private overlay network.",
            default: .boolean(false)),
        ConfigKey(
            "docker.host", .string(.dockerHost), "The Docker daemon the Docker executor uses.",
            default: { context in
                if let host = context.environment.variables["DOCKER_HOST"], !host.isEmpty {
                    return (.string(host), "$DOCKER_HOST")
                }
                return (.string("unix:///var/run/docker.sock"), nil)
            }),
        ConfigKey(
            "docker.allow_privileged", .boolean, "Whether ensembles may run privileged containers here.",
            default: .boolean(false)),
        ConfigKey(
            "docker.pids_limit", .integer(16...1_000_000), "Most processes one container may run.",
            default: .integer(4096)),
        ConfigKey(
            "docker.stop_grace_seconds", .integer(0...600),
            "Seconds a container has after SIGTERM before it is killed.", default: .integer(10)),
        ConfigKey(
            "docker.credentials_file", .string(.path),
            "Registry logins in Docker's client format (written by `docker login`); a missing file means none.",
            default: { context in
                (
                    .string(
                        (context.environment.homeDirectory as NSString).appendingPathComponent(".docker/config.json")),
                    nil
                )
            }),
        ConfigKey(
            "observability.log_max_size_mb", .integer(1...1024), "Size in MiB at which the log file is rotated.",
            default: .integer(10)),
        ConfigKey(
            "observability.log_max_backups", .integer(0...100), "Rotated log files kept next to the current one.",
            default: .integer(5)),
        ConfigKey(
            "observability.otlp_endpoint", .string(.httpURL),
            "OTLP/HTTP collector that receives the node's trace spans at <url>/v1/traces (empty: tracing off).",
            default: .string("")),
    ]

    public static let sections: [String] = keys.reduce(into: []) { sections, key in
        if !sections.contains(key.section) { sections.append(key.section) }
    }

    public static func key(named name: String) -> ConfigKey? { keys.first { $0.name == name } }

    /// The key, or an `unknownKey` error suggesting the closest real one.
    public static func requireKey(named name: String, source: ConfigSource) throws(ConfigError) -> ConfigKey {
        if let key = key(named: name) { return key }
        throw ConfigError.unknownKey(
            key: name, source: source, suggestion: Suggestion.closest(to: name, among: keys.map(\.name)))
    }

    /// Rules that involve more than one key; checked on the effective configuration.
    static func checkConsistency(_ values: [String: ConfigValue]) throws(ConfigError) {
        let continent = values["general.host_continent"]?.stringValue ?? ""
        for key in ["general.host_country", "general.host_city"]
        where continent.isEmpty && !(values[key]?.stringValue ?? "").isEmpty {
            throw ConfigError.inconsistent(reason: "\(key) needs general.host_continent")
        }
        if !(values["general.host_city"]?.stringValue ?? "").isEmpty
            && (values["general.host_country"]?.stringValue ?? "").isEmpty
        {
            throw ConfigError.inconsistent(reason: "general.host_city needs general.host_country")
        }
        if let low = values["job.public_port_min"]?.integerValue,
            let high = values["job.public_port_max"]?.integerValue,
            low > high
        {
            throw ConfigError.inconsistent(
                reason: "job.public_port_min (\(low)) must not be greater than job.public_port_max (\(high))")
        }
    }
}
