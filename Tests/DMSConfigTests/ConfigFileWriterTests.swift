import DMSConfig
import DMSCore
import Foundation
import NunetTestSupport
import Testing

@Suite struct ConfigFileWriterTests {
    @Test func setCreatesTheFileInTheNodeHomeWhenNoneExists() throws {
        let host = ConfigTestHome()
        let result = try ConfigFileWriter(loader: host.loader).set("rest.port", to: "8088", explicitFile: nil)
        #expect(result.path == host.home + "/.nunet/dms_config.json")
        #expect(result.value == .integer(8088))
        #expect(try host.loader.load().restPort == 8088)
    }

    @Test func setKeepsOtherKeysAndTheirOrder() throws {
        let host = ConfigTestHome()
        let path = host.writeConfig(#"{"rest": {"addr": "127.0.0.1", "port": 1}, "general": {"log_level": "debug"}}"#)
        let writer = ConfigFileWriter(loader: host.loader)
        _ = try writer.set("rest.port", to: "2", explicitFile: nil)
        _ = try writer.set("p2p.listen_addresses", to: "/ip4/0.0.0.0/tcp/1,/ip6/::/tcp/1", explicitFile: nil)
        let document = try ConfigLoader.readDocument(at: path)
        guard case .object(let sections) = document else {
            Issue.record("not an object")
            return
        }
        #expect(sections.map(\.key) == ["rest", "general", "p2p"])
        #expect(document["rest"]?["port"] == .integer(2))
        #expect(document["rest"]?["addr"] == .string("127.0.0.1"))
        #expect(
            document["p2p"]?["listen_addresses"] == .array([.string("/ip4/0.0.0.0/tcp/1"), .string("/ip6/::/tcp/1")]))
    }

    @Test func invalidValuesLeaveTheFileUnchanged() throws {
        let host = ConfigTestHome()
        let original = #"{"job": {"public_port_max": 20000}}"#
        let path = host.writeConfig(original)
        let writer = ConfigFileWriter(loader: host.loader)
        let typeError = #expect(throws: ConfigError.self) { try writer.set("rest.port", to: "abc", explicitFile: nil) }
        #expect(typeError?.description.contains("rest.port") == true)
        let rangeError = #expect(throws: ConfigError.self) {
            try writer.set("job.public_port_min", to: "30000", explicitFile: nil)
        }
        #expect(rangeError?.description.contains("must not be greater") == true)
        let unknown = #expect(throws: ConfigError.self) { try writer.set("rest.prt", to: "1", explicitFile: nil) }
        #expect(unknown?.description.contains("did you mean \"rest.port\"") == true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == original)
    }

    @Test func aMalformedFileIsNeverOverwritten() throws {
        let host = ConfigTestHome()
        let original = "{ broken"
        let path = host.writeConfig(original)
        #expect(throws: ConfigError.self) {
            try ConfigFileWriter(loader: host.loader).set("rest.port", to: "1", explicitFile: nil)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == original)
    }
}
