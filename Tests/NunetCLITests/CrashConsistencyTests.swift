import DMSCore
import DMSMessages
import Foundation
import NunetTestSupport
import Testing

/// The crash-consistency harness: a provider-and-orchestrator daemon killed with SIGKILL at a random moment
/// of onboarding, a deployment, a deployment's shutdown, a prune or its own graceful stop, then started
/// again at once, over and over. After every restart the ledger, the history and the machine must agree:
/// allocated is the sum of the live allocations, free never exceeds onboarded, nothing stays committed once
/// the deployments have settled, every deployment reaches a definite status (a failure with its reason), and
/// no runner, log directory or reservation outlives what the node still knows.
///
/// `NUNET_CRASH_ITERATIONS` (default 20; `scripts/crash-consistency` runs 500) and `NUNET_CRASH_SEED`
/// (printed, to replay a sequence).
@Suite struct CrashConsistencyTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["NUNET_CRASH_ITERATIONS"] ?? "") ?? 20
    static let seed =
        UInt64(ProcessInfo.processInfo.environment["NUNET_CRASH_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64.max)

    enum Operation: CaseIterable {
        case onboard, deployTask, deployService, shutdown, prune, stop
    }

    @Test func invariantsHoldAfterEverySIGKILL() async throws {
        let home = CLITestHome()
        var (daemon, client) = try await home.startControlledDaemon()
        let restPort = Int(client.extraEnvironment["DMS_REST_PORT"]!)!
        defer { daemon.signal(SIGKILL) }
        #expect(try await client.onboardQuarter() != nil)
        try Self.writeEnsembles(client)
        var generator = SeededGenerator(seed: Self.seed)
        print("crash-consistency seed \(Self.seed), \(Self.iterations) iterations")
        var counts: [String: Int] = [:]
        for iteration in 0..<Self.iterations {
            let operation = Operation.allCases.randomElement(using: &generator)!
            let delay = Int.random(in: 0...1500, using: &generator)
            counts["\(operation)", default: 0] += 1
            let started = try await Self.begin(operation, client: client, daemon: daemon, generator: &generator)
            try await Task.sleep(for: .milliseconds(delay))
            daemon.signal(SIGKILL)
            _ = await daemon.wait()
            if let started {
                started.signal(SIGKILL)
                _ = await started.wait()
            }
            (daemon, _) = try await client.startDaemon(port: restPort)
            let violations = try await Self.violations(client, daemon: daemon.pid)
            #expect(
                violations.isEmpty,
                "iteration \(iteration) (\(operation), killed after \(delay) ms, seed \(Self.seed)): \(violations)")
            if !violations.isEmpty { break }
        }
        print("crash-consistency: \(Self.iterations) kills: \(counts.sorted { $0.key < $1.key })")
    }

    // MARK: Operations

    static func writeEnsembles(_ home: CLITestHome) throws {
        try Data(WasmFixtures.print("done\n")).write(to: URL(fileURLWithPath: home.root.file("work/task.wasm")))
        try Data(WasmFixtures.printThenSpin("spinning\n")).write(
            to: URL(fileURLWithPath: home.root.file("work/spin.wasm")))
        for (name, type, module) in [("task", "task", "task.wasm"), ("service", "service", "spin.wasm")] {
            home.root.write(
                "work/\(name).yaml",
                """
                version: V1
                allocations:
                  main:
                    type: \(type)
                    executor: wasm
                    resources: {cpu: {cores: 0.1}, ram: {size: 16MiB}, disk: {size: 16MiB}}
                    execution: {type: wasm, module: \(module), fuel: 1000000000000, timeout: 600}
                """)
        }
    }

    /// Starts `operation` and returns the CLI process carrying it, if any (killed with the daemon).
    static func begin(
        _ operation: Operation, client: CLITestHome, daemon: NunetProcess, generator: inout SeededGenerator
    ) async throws -> NunetProcess? {
        switch operation {
        case .onboard:
            let cpu = ["0.5", "1", "1.5"].randomElement(using: &generator)!
            let ram = ["256MiB", "512MiB"].randomElement(using: &generator)!
            return try client.start(["onboard", "--cpu", cpu, "--ram", ram, "--disk", "1GiB", "--no-gpu"])
        case .deployTask:
            return try client.start(["deploy", "-f", "task.yaml", "--wait"])
        case .deployService:
            return try client.start(["deploy", "-f", "service.yaml", "--wait"])
        case .shutdown:
            let running = try await deployments(client).filter { $0.status == "Running" }
            guard let target = running.randomElement(using: &generator) else {
                return try client.start(["deploy", "-f", "service.yaml", "--wait"])
            }
            return try client.start(["deployment", "shutdown", target.orchestratorID])
        case .prune:
            return try client.start(["deployment", "prune", "--all"])
        case .stop:
            daemon.signal(SIGTERM)
            return nil
        }
    }

    // MARK: Invariants

    static let settled: Set<String> = ["Running", "Completed", "Failed"]

    /// What is wrong with the restarted node, waiting up to a bound for deployments to settle.
    static func violations(_ client: CLITestHome, daemon pid: Int32) async throws -> [String] {
        var problems: [String] = []
        // Deployments interrupted by the crash are deployed again or failed; give them time to get there.
        var history: [DeploymentSummary] = []
        for _ in 0..<120 {
            history = try await deployments(client)
            if history.allSatisfy({ settled.contains($0.status) }) { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        for deployment in history where !settled.contains(deployment.status) {
            problems.append("deployment \(deployment.orchestratorID) stays \(deployment.status)")
        }
        for deployment in history where deployment.status == "Failed" {
            let reason = try await status(client, deployment.orchestratorID)?.reason ?? ""
            if reason.isEmpty { problems.append("deployment \(deployment.orchestratorID) failed without a reason") }
        }

        let allocations = try await allocations(client)
        let live = allocations.filter { $0.status == AllocationState.running.rawValue }
        let ledger = try await resources(client)
        let sum = try live.reduce(Resources.zero) { try $0.adding($1.resources) }
        if !same(ledger.allocated, sum) {
            problems.append("allocated \(ledger.allocated) but the live allocations add up to \(sum)")
        }
        if let onboarded = ledger.onboarded {
            if !onboarded.fits(ledger.free) { problems.append("free \(ledger.free) exceeds onboarded \(onboarded)") }
            // Settled deployments hold no commitments: free is exactly onboarded minus allocated.
            if !same(try ledger.free.adding(ledger.allocated), onboarded) {
                problems.append(
                    "free \(ledger.free) + allocated \(ledger.allocated) ≠ onboarded \(onboarded): a reservation is left"
                )
            }
        }

        // Runners: only children of the running daemon, for allocations it runs.
        var strays: [Int32] = []
        for _ in 0..<20 {
            strays = CrashRecoveryTests.processes(holdingFilesIn: client.root.path, except: pid).filter {
                parent(of: $0) != pid
            }
            if strays.isEmpty { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        if !strays.isEmpty { problems.append("runners not owned by the daemon: \(strays)") }
        let children = CrashRecoveryTests.processes(holdingFilesIn: client.root.path, except: pid).count
        if children != live.count { problems.append("\(children) runners for \(live.count) live allocations") }

        // Directories: provider logs only for known allocations, orchestrator logs only for the history.
        let known = Set(allocations.map(\.id))
        for directory in entries(client.nunetHome + "/allocations") where !known.contains(directory) {
            problems.append("allocations/\(directory) belongs to no allocation (known: \(known.sorted()))")
        }
        let deploymentIDs = Set(history.map(\.orchestratorID))
        for directory in entries(client.nunetHome + "/deployments") where !deploymentIDs.contains(directory) {
            problems.append("deployments/\(directory) belongs to no deployment")
        }
        return problems
    }

    /// Equal amounts (cores to the hundredth, as the ledger rounds them).
    static func same(_ a: Resources, _ b: Resources) -> Bool {
        (a.cpu.cores * 100).rounded() == (b.cpu.cores * 100).rounded() && a.ram == b.ram && a.disk == b.disk
            && a.gpus.count == b.gpus.count
    }

    static func entries(_ path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }

    /// The parent PID from /proc/<pid>/stat (the field after the parenthesised command name).
    static func parent(of pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    // MARK: Reading the node

    static func json<T: Decodable>(_ client: CLITestHome, _ type: T.Type, _ arguments: String...) async throws -> T {
        let result = try await client.run(arguments + ["--json"])
        guard result.status == 0 else {
            throw CLITestError("nunet \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        return try JSONDecoder().decode(T.self, from: Data(result.stdout.utf8))
    }

    static func deployments(_ client: CLITestHome) async throws -> [DeploymentSummary] {
        try await json(client, DeploymentListResponse.self, "get", "deployments").deployments
    }

    static func status(_ client: CLITestHome, _ id: String) async throws -> DeploymentStatusResponse? {
        try? await json(client, DeploymentStatusResponse.self, "get", "deployment", id)
    }

    static func allocations(_ client: CLITestHome) async throws -> [ProviderAllocationInfo] {
        try await json(client, AllocationsListResponse.self, "get", "allocations").allocations
    }

    struct Ledger: Decodable {
        struct Reply: Decodable {
            let resources: Resources
            enum CodingKeys: String, CodingKey { case resources = "Resources" }
        }
        let onboardedReply: Reply?
        let allocatedReply: Reply
        let freeReply: Reply
        var onboarded: Resources? { onboardedReply?.resources }
        var allocated: Resources { allocatedReply.resources }
        var free: Resources { freeReply.resources }
        enum CodingKeys: String, CodingKey {
            case onboardedReply = "onboarded"
            case allocatedReply = "allocated"
            case freeReply = "free"
        }
    }

    static func resources(_ client: CLITestHome) async throws -> Ledger {
        try await json(client, Ledger.self, "resources")
    }
}
