import DMSCore
import DMSExecutor
import Foundation
import NunetTestSupport
import Synchronization

/// Real `nunet run` daemons on loopback, started and stopped by `scripts/nunet-cluster` (the script users
/// run), with the commands a user types on each node. Nodes are numbered from 1, as the script names them.
final class DaemonCluster: Sendable {
    struct Node: Sendable, Equatable {
        let name: String
        let home: String
        let restPort: Int
        let pid: Int32
        let peerID: String
        let did: String
        /// The DID of the user who controls the node (the cluster's user, or a stranger's own).
        let user: String
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/nunet-cluster")

    let directory = TemporaryDirectory("nunet-cluster")
    let chain: Bool

    init(chain: Bool = false) { self.chain = chain }
    private let known = Mutex<[Node]>([])

    var nodes: [Node] { known.withLock { $0 } }
    func node(_ number: Int) -> Node { nodes[number - 1] }

    /// Starts `count` daemons; node 1 is the bootstrap peer of the others, or with `chain` node K knows
    /// only node K-1.
    static func start(_ count: Int, chain: Bool = false) async throws -> DaemonCluster {
        let cluster = DaemonCluster(chain: chain)
        do {
            try await cluster.script("start", String(count), cluster.directory.path)
        } catch {
            cluster.stop()
            throw error
        }
        return cluster
    }

    /// Starts one more daemon, bootstrapped from node 1; a stranger has its own user and trusts no one else.
    @discardableResult
    func add(stranger: Bool = false) async throws -> Node {
        try await script(["add", directory.path] + (stranger ? ["--stranger"] : []))
        return nodes[nodes.count - 1]
    }

    /// Runs `nunet` as the user of node `number`, against that node's daemon.
    func run(on number: Int, _ arguments: String...) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await run(on: number, arguments)
    }

    func run(on number: Int, _ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let home = node(number).home
        return try await NunetProcess.run(
            arguments,
            environment: [
                "HOME": home, "NUNET_HOME": home, "DMS_PASSPHRASE": "cluster",
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            ],
            directory: home)
    }

    /// What node `number`'s command printed, parsed; a failed command is an error with its output.
    func json(on number: Int, _ arguments: String...) async throws -> JSONValue {
        let result = try await run(on: number, arguments)
        guard result.status == 0 else {
            throw CLITestError("nunet \(arguments.joined(separator: " ")) on node \(number): \(result.stderr)")
        }
        return try JSONParser.parse(result.stdout)
    }

    func kill(_ number: Int, signal: Int32 = SIGKILL) { _ = Foundation.kill(node(number).pid, signal) }

    /// Stops every daemon as `nunet-cluster stop` does (SIGTERM, then SIGKILL after 10 s for any that is
    /// still there); safe to call more than once. It never blocks a thread the other tests need, and the
    /// SIGKILL follows even if the test process has exited.
    func stop() {
        let running = nodes
        for node in running { _ = Foundation.kill(node.pid, SIGTERM) }
        // Each daemon runs in its home: a PID reused by another process by then is left alone.
        let stragglers = running.map { "[ \"$(readlink /proc/\($0.pid)/cwd)\" = '\($0.home)' ] && kill -9 \($0.pid)" }
        _ = try? ChildProcess.spawn(
            "/bin/sh", arguments: ["-c", "sleep 10; " + stragglers.joined(separator: "; ") + "; true"],
            stdout: "/dev/null", stderr: "/dev/null")
    }

    deinit { stop() }

    private func script(_ arguments: String...) async throws { try await script(arguments) }

    private func script(_ arguments: [String]) async throws {
        // Spawned and reaped directly, with files rather than pipes: the daemons the script starts outlive it.
        let child = try Self.spawn(
            ["CLUSTER_BOOTSTRAP=\(chain ? "chain" : "first")"], arguments, output: directory.file("script-output.txt"))
        let status = await withCheckedContinuation { continuation in
            child.waitInBackground { continuation.resume(returning: $0.exitStatus) }
        }
        guard status == 0 else {
            throw CLITestError(
                "nunet-cluster \(arguments.joined(separator: " ")): \(directory.read("script-output.txt") ?? "")")
        }
        let summary = try JSONParser.parse(directory.read("cluster.json") ?? "")
        guard case .array(let entries)? = summary["nodes"] else { throw CLITestError("no nodes in \(summary)") }
        let parsed = try entries.map { entry in
            guard case .string(let name)? = entry["name"], case .string(let home)? = entry["home"],
                case .number(let port)? = entry["rest_port"], case .number(let pid)? = entry["pid"],
                case .string(let peer)? = entry["peer_id"], case .string(let did)? = entry["did"],
                case .string(let user)? = entry["user"], let restPort = Int(port), let processID = Int32(pid)
            else { throw CLITestError("malformed node \(entry)") }
            return Node(
                name: name, home: home, restPort: restPort, pid: processID, peerID: peer, did: did, user: user)
        }
        known.withLock { $0 = parsed }
    }

    private static func spawn(_ environment: [String] = [], _ arguments: [String], output: String) throws
        -> ChildProcess
    {
        try ChildProcess.spawn(
            "/usr/bin/env",
            arguments: ["NUNET=\(NunetProcess.executable.path)"] + environment + ["/bin/bash", script.path] + arguments,
            stdout: "/dev/null", stderr: output)
    }
}
