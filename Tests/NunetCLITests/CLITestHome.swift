import DMSCore
import Foundation
import NunetTestSupport

/// A temporary user account for end-to-end tests: its own HOME, NUNET_HOME and working directory, so
/// no test touches the real ~/.nunet and tests can run in parallel.
struct CLITestHome {
    let root = TemporaryDirectory("nunet-cli")
    /// Variables added to the minimal environment; a daemon needs a passphrase for its key, and cheaper
    /// scrypt for new keys keeps the suite fast (the file format is unchanged); peers listen on loopback
    /// ports chosen by the system.
    var extraEnvironment: [String: String] = [
        "DMS_PASSPHRASE": "test passphrase", "DMS_GENERAL_KEYSTORE_KDF_COST": "12",
        "DMS_P2P_LISTEN_ADDRESSES": "/ip4/127.0.0.1/tcp/0",
    ]

    var home: String { root.file("home") }
    var nunetHome: String { root.file("nunet-home") }
    var workingDirectory: String { root.file("work") }

    init() {
        for directory in [home, workingDirectory] {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }

    var environment: [String: String] {
        var variables = [
            "HOME": home, "NUNET_HOME": nunetHome,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
        variables.merge(extraEnvironment) { _, new in new }
        return variables
    }

    func run(_ arguments: String..., stdin: String? = nil) async throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        try await run(arguments, stdin: stdin)
    }

    func run(_ arguments: [String], stdin: String? = nil) async throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        try await NunetProcess.run(arguments, environment: environment, directory: workingDirectory, stdin: stdin)
    }

    func start(_ arguments: [String]) throws -> NunetProcess {
        try NunetProcess(arguments, environment: environment, directory: workingDirectory)
    }

    /// Starts `nunet run` on a free port and waits until `/health` answers.
    func startDaemon(port: Int = LoopbackNetwork.freePort(), extraArguments: [String] = []) async throws -> (
        NunetProcess, Int
    ) {
        let daemon = try start(["run", "--rest-port", String(port)] + extraArguments)
        let ready = await NunetProcess.eventually(timeout: 60) {
            LoopbackNetwork.get(port: port, path: "/health") != nil || !daemon.process.isRunning
        }
        guard ready, daemon.process.isRunning else {
            daemon.signal(SIGKILL)
            await daemon.wait()
            throw DaemonDidNotStart(stderr: daemon.stderr)
        }
        return (daemon, port)
    }
}

extension CLITestHome {
    /// Creates the user's and the node's identities, makes the user the node's root anchor and starts the
    /// daemon; returns it with a copy of this home whose commands talk to it.
    func startControlledDaemon() async throws -> (daemon: NunetProcess, client: CLITestHome) {
        for context in ["user", "dms"] {
            let created = try await run("cap", "new", context)
            guard created.status == 0 else { throw DaemonDidNotStart(stderr: created.stderr) }
        }
        let user = try await run("key", "did", "user").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let anchored = try await run("cap", "anchor", "--context", "dms", "--root", user)
        guard anchored.status == 0 else { throw DaemonDidNotStart(stderr: anchored.stderr) }
        let (daemon, port) = try await startDaemon()
        var client = self
        client.extraEnvironment["DMS_REST_PORT"] = String(port)
        return (daemon, client)
    }
}

/// A CLI test's own failure: a command that did not do what the test needs, with what it said.
struct CLITestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

struct DaemonDidNotStart: Error, CustomStringConvertible {
    let stderr: String
    var description: String { "daemon did not start: \(stderr)" }
}

extension CLITestHome {
    /// The machine's RAM and cores as the daemon sees them (`nunet hardware --json`).
    func machine() async throws -> (ram: UInt64, cores: Double)? {
        Self.machine(inHardware: try JSONParser.parse(try await run("hardware", "--json").stdout))
    }

    /// The machine's RAM and cores in the JSON `nunet hardware --json` prints.
    static func machine(inHardware hardware: JSONValue) -> (ram: UInt64, cores: Double)? {
        let resources = hardware["spec"]?["Resources"]
        guard case .number(let ramText)? = resources?["ram"]?["size"], let ram = UInt64(ramText),
            case .number(let coresText)? = resources?["cpu"]?["cores"], let cores = Double(coresText)
        else { return nil }
        return (ram, cores)
    }

    /// Onboards one core, a quarter of the RAM (inside the 10%–90% rule on any machine) and 1 GiB of disk;
    /// returns the RAM offered.
    func onboardQuarter() async throws -> UInt64? {
        guard let machine = try await machine() else { return nil }
        let ram = ((machine.ram / 4) >> 20) << 20
        return try await onboarding(ram: ram, []).status == 0 ? ram : nil
    }

    /// `nunet onboard` of one core, `ram` bytes and 1 GiB of disk, with `extra` arguments.
    func onboarding(ram: UInt64, _ extra: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await run(["onboard", "--cpu", "1", "--ram", "\(ram >> 20)MiB", "--disk", "1GiB", "--no-gpu"] + extra)
    }

    /// The ID `nunet deploy` prints on its first line (`deployment <id>`).
    static func deploymentID(_ output: String) -> String? {
        output.split(separator: "\n").first?.split(separator: " ").last.map(String.init)
    }
}
