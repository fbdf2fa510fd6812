import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// What the tests that join two daemons, or deploy one small task, share.
extension CLITestHome {
    /// An ensemble of one null-executor task `job` (half a core, 64 MiB) printing `stdout`, on one node
    /// named `node` with the extra node `fields` (`peer: …` or `location: {…}`).
    static func nullTask(node: String = "job", _ fields: String, stdout: String) -> String {
        """
        version: V1
        allocations:
          job:
            type: task
            executor: null
            resources: {cpu: {cores: 0.5}, ram: {size: 64MiB}, disk: {size: 64MiB}}
            execution: {type: null, stdout: "\(stdout)"}
        nodes:
          \(node): {allocations: [job], \(fields)}
        """
    }

    /// The local node's DID, peer ID and listen address, as `/public/hello` and `/dms/node/peers/self` say.
    func nodeIdentity() async throws -> (did: String, peer: String, listen: String) {
        let hello = try JSONParser.parse(try await run("actor", "cmd", "/public/hello").stdout)
        let me = try JSONParser.parse(try await run("actor", "cmd", "/dms/node/peers/self").stdout)
        guard case .string(let did)? = hello["DID"], case .string(let peer)? = me["id"],
            case .string(let listen)? = me["listen_addr"]
        else { throw DaemonDidNotStart(stderr: "no identity in \(hello) \(me)") }
        return (did, peer, listen)
    }

    /// Starts a second daemon in a fresh home that bootstraps from `bootstrap` (a multiaddress ending in
    /// /p2p/…) and has `root` as its root anchor; returns it with its REST port.
    static func startSecondDaemon(bootstrap: String, root: String) async throws -> (daemon: NunetProcess, port: Int) {
        var second = CLITestHome()
        second.extraEnvironment["DMS_P2P_BOOTSTRAP_PEERS"] = bootstrap
        for arguments in [["cap", "new", "dms"], ["cap", "anchor", "--context", "dms", "--root", root]] {
            let result = try await second.run(arguments)
            guard result.status == 0 else { throw DaemonDidNotStart(stderr: result.stderr) }
        }
        let (daemon, port) = try await second.startDaemon()
        return (daemon, port)
    }

    /// Starts a provider in a fresh home: it bootstraps from `bootstrap` (a multiaddress ending in /p2p/…),
    /// trusts `roots`, and is onboarded with a quarter of the machine by this client's user. Returns its
    /// daemon, its home, a client of it (this client's keys, its REST port) and its peer ID. `environment` is added
    /// to the provider daemon's.
    func startProvider(bootstrap: String, roots: [String], environment: [String: String] = [:]) async throws -> (
        daemon: NunetProcess, home: CLITestHome, client: CLITestHome, peer: String
    ) {
        var home = CLITestHome()
        home.extraEnvironment["DMS_P2P_BOOTSTRAP_PEERS"] = bootstrap
        home.extraEnvironment.merge(environment) { _, new in new }
        for step in [["cap", "new", "dms"]] + roots.map({ ["cap", "anchor", "--context", "dms", "--root", $0] }) {
            let result = try await home.run(step)
            guard result.status == 0 else { throw DaemonDidNotStart(stderr: result.stderr) }
        }
        let (daemon, port) = try await home.startDaemon()
        var client = self
        client.extraEnvironment["DMS_REST_PORT"] = String(port)
        let me = try JSONParser.parse(try await client.run("actor", "cmd", "/dms/node/peers/self").stdout)
        guard try await client.onboardQuarter() != nil, case .string(let peer)? = me["id"] else {
            daemon.signal(SIGTERM)
            throw DaemonDidNotStart(stderr: "the provider was not onboarded or has no peer ID: \(me)")
        }
        return (daemon, home, client, peer)
    }

    /// Runs `behavior` at `peer` until it answers (a daemon dials its bootstrap peer as it starts).
    func untilReachable(_ peer: String, _ behavior: String = "/public/hello") async throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        var result = try await run("actor", "cmd", behavior, "--dest", peer)
        for _ in 0..<50 where result.status != 0 {
            try await Task.sleep(for: .milliseconds(100))
            result = try await run("actor", "cmd", behavior, "--dest", peer)
        }
        return result
    }
}
