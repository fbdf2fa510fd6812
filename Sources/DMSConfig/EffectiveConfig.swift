import DMSCore
import Logging

/// The configuration a command runs with: every key's value and where it came from, plus typed
/// accessors for the settings the node uses.
public struct EffectiveConfig: Sendable {
    public struct Entry: Sendable, Equatable {
        public let value: ConfigValue
        public let source: ConfigSource
    }

    /// The config file that was read, if any.
    public let file: String?
    public let entries: [String: Entry]

    public func value(of name: String) -> ConfigValue? { entries[name]?.value }

    private func string(_ name: String) -> String { entries[name]?.value.stringValue ?? "" }
    private func integer(_ name: String) -> Int { entries[name]?.value.integerValue ?? 0 }
    private func boolean(_ name: String) -> Bool { entries[name]?.value.booleanValue ?? false }
    private func list(_ name: String) -> [String] { entries[name]?.value.listValue ?? [] }

    public var dataDirectory: String { string("general.data_dir") }
    public var logFile: String { string("general.log_file") }
    public var logLevel: Logger.Level { Logger.Level(rawValue: string("general.log_level")) ?? .info }
    /// log2 of the scrypt N parameter for new key files.
    public var keystoreKDFCost: Int { integer("general.keystore_kdf_cost") }
    public var restAddress: String { string("rest.addr") }
    public var restPort: Int { integer("rest.port") }
    public var restMaxConnections: Int { integer("rest.max_connections") }
    public var restHeaderTimeout: Duration { .seconds(integer("rest.header_timeout_seconds")) }
    public var restBodyTimeout: Duration { .seconds(integer("rest.body_timeout_seconds")) }
    public var listenAddresses: [String] { list("p2p.listen_addresses") }
    public var bootstrapPeers: [String] { list("p2p.bootstrap_peers") }
    public var dhtMode: String { string("p2p.dht_mode") }
    public var rendezvous: String { string("p2p.rendezvous") }
    public var discoveryLimit: Int { integer("p2p.discovery_limit") }
    public var discoveryInterval: Duration { .seconds(integer("p2p.discovery_interval_seconds")) }
    public var dhtRefreshInterval: Duration { .seconds(integer("p2p.dht_refresh_seconds")) }
    public var mdns: Bool { boolean("p2p.mdns") }
    public var publicPortRange: ClosedRange<Int> { integer("job.public_port_min")...integer("job.public_port_max") }
    /// The declared host location as (continent, country, city); nil without a continent.
    public var hostLocation: (continent: String, country: String, city: String)? {
        let continent = string("general.host_continent")
        return continent.isEmpty
            ? nil : (continent, string("general.host_country"), string("general.host_city"))
    }
    public var dockerHost: String { string("docker.host") }
    public var dockerAllowsPrivileged: Bool { boolean("docker.allow_privileged") }
    public var dockerPidsLimit: Int { integer("docker.pids_limit") }
    public var dockerStopGrace: Duration { .seconds(integer("docker.stop_grace_seconds")) }
    public var dockerCredentialsFile: String { string("docker.credentials_file") }
    public var logRotationBytes: Int { integer("observability.log_max_size_mb") * 1024 * 1024 }
    public var logBackups: Int { integer("observability.log_max_backups") }
    /// Where trace spans are exported (OTLP/HTTP base URL), nil when tracing is off.
    public var otlpEndpoint: String? {
        let value = string("observability.otlp_endpoint")
        return value.isEmpty ? nil : value
    }

    /// `config show`: sections of `{"value": ..., "source": ...}` in schema order.
    public var annotatedJSON: JSONValue {
        .object(
            ConfigSchema.sections.map { section in
                let members = ConfigSchema.keys.filter { $0.section == section }.compactMap {
                    key -> (String, JSONValue)? in
                    guard let entry = entries[key.name] else { return nil }
                    return (
                        key.field,
                        .object([("value", entry.value.json), ("source", .string(entry.source.description))])
                    )
                }
                return (section, JSONValue.object(members.map { (key: $0.0, value: $0.1) }))
            })
    }
}
