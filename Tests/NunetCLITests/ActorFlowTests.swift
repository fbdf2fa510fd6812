import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// The actor commands against a running daemon: the controller flow of the issue, the raw envelope
/// commands and broadcast.
@Suite struct ActorFlowTests {
    @Test func theUserControlsItsNodeOnlyAfterTheRootAnchor() async throws {
        let home = CLITestHome()
        #expect(try await home.run("cap", "new", "user").status == 0)
        let (daemon, port) = try await home.startDaemon()
        var client = home
        client.extraEnvironment["DMS_REST_PORT"] = String(port)

        let refused = try await client.run("actor", "cmd", "/dms/node/peers/self", "--context", "user")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("not authorised"), "\(refused.stderr)")

        let user = try await client.run("key", "did", "user").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await client.run("cap", "anchor", "--context", "dms", "--root", user).status == 0)
        // The daemon notices the context file change within a second or two.
        var answer = try await client.run("actor", "cmd", "/dms/node/peers/self", "--context", "user")
        for _ in 0..<50 where answer.status != 0 {
            try await Task.sleep(for: .milliseconds(100))
            answer = try await client.run("actor", "cmd", "/dms/node/peers/self", "--context", "user")
        }
        #expect(answer.status == 0, "\(answer.stderr)")
        let me = try JSONParser.parse(answer.stdout)
        guard case .string(let peerID)? = me["id"] else {
            Issue.record("no id in \(answer.stdout)")
            return
        }
        #expect(peerID.hasPrefix("12D3KooW"))

        let hello = try JSONParser.parse(try await client.run("actor", "cmd", "/public/hello").stdout)
        #expect(hello["PeerID"] == .string(peerID))
        let everyone = try JSONParser.parse(
            try await client.run("actor", "cmd", "/broadcast/hello", "--timeout", "1s").stdout)
        #expect(everyone == .array([hello]))
        let stats = try JSONParser.parse(try await client.run("actor", "cmd", "/dms/node/stats").stdout)
        #expect(stats["actors"] != nil)

        // The raw path: build and sign an envelope, then invoke it through the REST API.
        let envelope = try await client.run("actor", "msg", "/public/hello", "--invoke")
        #expect(envelope.status == 0, "\(envelope.stderr)")
        let reply = try await client.run(
            "actor", "invoke", envelope.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(reply.status == 0, "\(reply.stderr)")
        #expect(try JSONParser.parse(reply.stdout)["be"] != nil)
        let handle = try #require(LoopbackNetwork.get(port: port, path: "/api/v1/actor/handle"))
        #expect(try JSONParser.parse(handle.body)["addr"]?["host"] == .string(peerID))

        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test func badActorInputIsExplained() async throws {
        let home = CLITestHome()
        #expect(try await home.run("cap", "new", "user").status == 0)
        let (daemon, port) = try await home.startDaemon()
        var client = home
        client.extraEnvironment["DMS_REST_PORT"] = String(port)
        let badFlag = try await client.run("actor", "cmd", "/public/hello", "--frobnicate", "1")
        #expect(badFlag.status == 1)
        #expect(badFlag.stderr.contains("unknown flag --frobnicate"), "\(badFlag.stderr)")
        let badDestination = try await client.run("actor", "cmd", "/public/hello", "--dest", "did:key:nope")
        #expect(badDestination.stderr.contains("invalid DID"), "\(badDestination.stderr)")
        let unreachable = try await client.run(
            "actor", "cmd", "/public/hello", "--dest", "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7")
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.contains("is not reachable"), "\(unreachable.stderr)")
        let garbage = try await client.run("actor", "invoke", "{\"be\": 5}")
        #expect(garbage.stderr.contains("\"be\" must be a string"), "\(garbage.stderr)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        let noDaemon = try await client.run("actor", "cmd", "/public/hello")
        #expect(noDaemon.status == 1)
        #expect(noDaemon.stderr.contains("is `nunet run` running?"), "\(noDaemon.stderr)")
    }
}
