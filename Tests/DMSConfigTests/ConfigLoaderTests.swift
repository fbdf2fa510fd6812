import DMSConfig
import Foundation
import NunetTestSupport
import Testing

@Suite struct ConfigLoaderTests {
    @Test func defaultsApplyWhenNoFileExists() throws {
        let host = ConfigTestHome()
        let config = try host.loader.load()
        #expect(config.file == nil)
        #expect(config.dataDirectory == host.home + "/.nunet")
        #expect(config.logFile == host.home + "/.nunet/logs/nunet.jsonl")
        #expect(config.restAddress == "127.0.0.1")
        #expect(config.restPort == 9999)
        #expect(config.logLevel == .info)
        #expect(config.listenAddresses == ["/ip4/0.0.0.0/tcp/9000"])
        #expect(config.publicPortRange == 16384...65535)
        #expect(config.entries["rest.port"]?.source == .defaultValue(note: nil))
    }

    @Test func nunetHomeMovesTheDataDirectoryAndIsShownAsTheSource() throws {
        var host = ConfigTestHome()
        host.variables["NUNET_HOME"] = host.root.file("elsewhere")
        let config = try host.loader.load()
        #expect(config.dataDirectory == host.root.file("elsewhere"))
        #expect(config.entries["general.data_dir"]?.source == .defaultValue(note: "$NUNET_HOME"))
    }

    @Test func precedenceIsDefaultsThenFileThenEnvironmentThenFlags() throws {
        var host = ConfigTestHome()
        let file = host.writeConfig(#"{"rest": {"port": 7001, "addr": "::1"}, "general": {"log_level": "debug"}}"#)
        var config = try host.loader.load()
        #expect(config.restPort == 7001)
        #expect(config.entries["rest.port"]?.source == .file(path: file))

        host.variables["DMS_REST_PORT"] = "7002"
        config = try host.loader.load()
        #expect(config.restPort == 7002)
        #expect(config.entries["rest.port"]?.source == .environment(variable: "DMS_REST_PORT"))
        #expect(config.restAddress == "::1")

        config = try host.loader.load(flags: [(key: "rest.port", flag: "--rest-port", text: "7003")])
        #expect(config.restPort == 7003)
        #expect(config.entries["rest.port"]?.source == .flag(name: "--rest-port"))
        #expect(config.logLevel == .debug)
        #expect(config.entries["rest.addr"]?.source == .file(path: file))
        #expect(config.entries["job.public_port_min"]?.source == .defaultValue(note: nil))
    }

    @Test func searchOrderIsWorkingDirectoryThenNunetHomeThenHomeThenEtc() throws {
        var host = ConfigTestHome()
        let inHome = host.writeConfig(#"{"rest": {"port": 7100}}"#, in: host.home + "/.nunet")
        #expect(try host.loader.load().file == inHome)

        host.variables["NUNET_HOME"] = host.root.file("nh")
        let inNunetHome = host.writeConfig(#"{"rest": {"port": 7200}}"#, in: host.root.file("nh"))
        #expect(try host.loader.load().file == inNunetHome)

        let inWorkingDirectory = host.writeConfig(#"{"rest": {"port": 7300}}"#)
        let config = try host.loader.load()
        #expect(config.file == inWorkingDirectory)
        #expect(config.restPort == 7300)
        #expect(host.loader.searchPaths.last == "/etc/nunet/dms_config.json")
    }

    @Test func anExplicitConfigFileWinsAndMustExist() throws {
        let host = ConfigTestHome()
        host.writeConfig(#"{"rest": {"port": 7300}}"#)
        let explicit = host.writeConfig(#"{"rest": {"port": 7400}}"#, in: host.root.file("custom"))
        #expect(try host.loader.load(explicitFile: explicit).restPort == 7400)
        let missing = host.root.file("nope/dms_config.json")
        let error = #expect(throws: ConfigError.self) { try host.loader.load(explicitFile: missing) }
        #expect(error == .fileNotFound(path: missing))
    }

    @Test func malformedJSONNamesTheFileLineAndColumn() throws {
        let host = ConfigTestHome()
        let path = host.writeConfig("{\n  \"rest\": {\n    \"port\": 9999,\n  }\n}")
        let error = #expect(throws: ConfigError.self) { try host.loader.load() }
        #expect(error?.description.hasPrefix("config file \(path) is not valid JSON: line 4, column 3") == true)
    }

    @Test func unknownKeysAreRefusedWithTheClosestValidKey() throws {
        let host = ConfigTestHome()
        host.writeConfig(#"{"rest": {"prot": 9999}}"#)
        let error = #expect(throws: ConfigError.self) { try host.loader.load() }
        #expect(error?.description.contains("unknown config key \"rest.prot\"") == true)
        #expect(error?.description.contains("did you mean \"rest.port\"?") == true)

        host.writeConfig(#"{"genral": {}}"#)
        let sectionError = #expect(throws: ConfigError.self) { try host.loader.load() }
        #expect(sectionError?.description.contains("did you mean \"general\"?") == true)
    }

    @Test(arguments: [
        (#"{"rest": {"port": "9999"}}"#, "rest.port", #""9999""#, "an integer from 1 to 65535"),
        (#"{"rest": {"port": 70000}}"#, "rest.port", "70000", "an integer from 1 to 65535"),
        (#"{"rest": {"port": 0}}"#, "rest.port", "0", "an integer from 1 to 65535"),
        (#"{"rest": {"port": 99.5}}"#, "rest.port", "99.5", "an integer"),
        (#"{"rest": {"max_connections": 0}}"#, "rest.max_connections", "0", "an integer from 1 to 65535"),
        (#"{"rest": {"header_timeout_seconds": 0}}"#, "rest.header_timeout_seconds", "0", "from 1 to 3600"),
        (#"{"rest": {"body_timeout_seconds": 7200}}"#, "rest.body_timeout_seconds", "7200", "from 1 to 3600"),
        (#"{"rest": {"addr": "localhost:80"}}"#, "rest.addr", #""localhost:80""#, "an IPv4 or IPv6 address"),
        (#"{"general": {"log_level": "loud"}}"#, "general.log_level", #""loud""#, "one of trace, debug"),
        (#"{"general": {"data_dir": ""}}"#, "general.data_dir", #""""#, "a non-empty path"),
        (#"{"general": {"data_dir": 5}}"#, "general.data_dir", "5", "a non-empty path"),
        (
            #"{"p2p": {"listen_addresses": "/ip4/0.0.0.0/tcp/1"}}"#, "p2p.listen_addresses", #""/ip4/0.0.0.0/tcp/1""#,
            "a list of multiaddresses"
        ),
        (
            #"{"p2p": {"listen_addresses": ["/ip4/0.0.0.0/tcp/99999"]}}"#, "p2p.listen_addresses", "99999",
            "multiaddresses"
        ),
        (#"{"p2p": {"bootstrap_peers": ["/ip4/1.2.3.4/tcp/1"]}}"#, "p2p.bootstrap_peers", "1.2.3.4", "end in /p2p/"),
        (#"{"job": {"public_port_min": -1}}"#, "job.public_port_min", "-1", "an integer from 1 to 65535"),
        (#"{"observability": {"log_max_size_mb": 0}}"#, "observability.log_max_size_mb", "0", "from 1 to 1024"),
    ])
    func wrongTypesAndOutOfRangeValuesNameKeyValueAndRule(json: String, key: String, value: String, rule: String) {
        let host = ConfigTestHome()
        host.writeConfig(json)
        let error = #expect(throws: ConfigError.self) { try host.loader.load() }
        let text = error?.description ?? ""
        #expect(text.contains("invalid value for \(key)"), "\(text)")
        #expect(text.contains(value), "\(text)")
        #expect(text.contains(rule), "\(text)")
    }

    @Test func sectionsMustBeObjects() {
        let host = ConfigTestHome()
        host.writeConfig(#"{"rest": 5}"#)
        let error = #expect(throws: ConfigError.self) { try host.loader.load() }
        #expect(error?.description.contains("\"rest\" must be an object") == true)
        host.writeConfig(#"[1]"#)
        #expect(throws: ConfigError.notAnObject(path: host.workingDirectory + "/dms_config.json", key: nil)) {
            try host.loader.load()
        }
    }

    @Test func environmentValuesAreTypedAndValidated() throws {
        var host = ConfigTestHome()
        let (peerA, peerB) = (
            "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA", "QmQ2irHa8aFTLRhkbkQCRrounE4MbttNp8ki7Nmys4F9NP"
        )
        host.variables["DMS_P2P_BOOTSTRAP_PEERS"] = "/ip4/1.2.3.4/tcp/9000/p2p/\(peerA), /dns4/a.b/tcp/1/p2p/\(peerB)"
        host.variables["DMS_P2P_LISTEN_ADDRESSES"] = #"["/ip6/::/tcp/9000"]"#
        host.variables["DMS_GENERAL_LOG_LEVEL"] = "WARNING"
        host.variables["DMS_PASSPHRASE"] = "not configuration"
        let config = try host.loader.load()
        #expect(config.bootstrapPeers == ["/ip4/1.2.3.4/tcp/9000/p2p/\(peerA)", "/dns4/a.b/tcp/1/p2p/\(peerB)"])
        #expect(config.listenAddresses == ["/ip6/::/tcp/9000"])
        #expect(config.logLevel == .warning)

        host.variables["DMS_REST_PORT"] = "http"
        let error = #expect(throws: ConfigError.self) { try host.loader.load() }
        #expect(
            error?.description
                == "invalid value for rest.port in env DMS_REST_PORT: \"http\" (allowed: an integer from 1 to 65535)")
    }

    @Test func misspelledEnvironmentOverridesAreRefused() {
        var host = ConfigTestHome()
        host.variables["DMS_REST_PROT"] = "1"
        let error = #expect(throws: ConfigError.self) { try host.loader.load() }
        #expect(error?.description.contains("did you mean \"DMS_REST_PORT\"?") == true)
    }

    @Test func thePublicPortRangeMustNotBeInverted() {
        let host = ConfigTestHome()
        host.writeConfig(#"{"job": {"public_port_min": 30000, "public_port_max": 20000}}"#)
        let error = #expect(throws: ConfigError.self) { try host.loader.load() }
        #expect(
            error?.description.contains(
                "job.public_port_min (30000) must not be greater than job.public_port_max (20000)") == true)
    }

    @Test func pathsExpandTildeAndRelativeToTheWorkingDirectory() throws {
        let host = ConfigTestHome()
        host.writeConfig(#"{"general": {"data_dir": "~/nodes/a", "log_file": "logs/x.jsonl"}}"#)
        let config = try host.loader.load()
        #expect(config.dataDirectory == host.home + "/nodes/a")
        #expect(config.logFile == host.workingDirectory + "/logs/x.jsonl")
    }

    @Test func showListsEveryKeyWithValueAndSource() throws {
        let host = ConfigTestHome()
        let file = host.writeConfig(#"{"rest": {"port": 7001}}"#)
        let shown = try host.loader.load().annotatedJSON
        #expect(shown["rest"]?["port"] == .object([("value", .integer(7001)), ("source", .string("file \(file)"))]))
        #expect(shown["general"]?["log_level"]?["source"] == .string("default"))
        for key in ConfigSchema.keys {
            #expect(shown[key.section]?[key.field]?["value"] != nil, "missing \(key.name)")
        }
    }
}
