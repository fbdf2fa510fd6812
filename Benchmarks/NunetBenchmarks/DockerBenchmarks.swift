import DMSCore
import DMSEnsemble
import DMSExecutor
import DMSExecutorDocker
import DMSOrchestrator
import Foundation
import Logging

/// Start overhead of the Docker executor: from the deployment request (bids, matching, commit, allocate,
/// create, start) to the container's first output line in the allocation's log, against `docker run` of the
/// same local image to its first output line, in alternating rounds of the same run. Goal: within 50 ms of
/// `docker run`. The image is the tests' (`Tests/Docker/fixtures.sh image`), or `NUNET_BENCH_IMAGE`.
enum DockerBenchmarks {
    static let rounds = 30

    static func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let image = environment["NUNET_BENCH_IMAGE"] ?? "nunet-test/busybox:1"
        let settings = DockerSettings(
            endpoint: try DockerEngine.endpoint(dockerHost: environment["DOCKER_HOST"]),
            owner: "nunet-bench-\(UUID().uuidString.prefix(8))")
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let docker = DockerExecutor(settings: settings, logger: quiet)
        guard await docker.availability().available else {
            print("docker: no Docker daemon answers; start dockerd (Tests/Docker/fixtures.sh daemon)")
            return
        }
        let node = try await LocalDeploymentNode(executors: [.docker: docker])
        defer { Task { await node.stop() } }
        let ensemble = try EnsembleParser.parse(
            yaml: """
                version: V1
                allocations:
                  job:
                    type: task
                    executor: docker
                    resources: {cpu: {cores: 0.5}, ram: {size: 64MiB}, disk: {size: 64MiB}}
                    execution: {type: docker, image: "\(image)", cmd: [echo, first]}
                """)
        let executorOnly = DockerExecutor(settings: settings, logger: quiet)
        var ours: [Double] = []
        var theirs: [Double] = []
        var executor: [Double] = []
        for round in 0..<(rounds + 3) {
            let deployed = try await deployToFirstLine(node, ensemble)
            let ran = try await dockerRunToFirstLine(image)
            let started = try await executorToFirstLine(executorOnly, image: image, in: node.directory, round: round)
            if round >= 3 {
                ours.append(deployed)
                theirs.append(ran)
                executor.append(started)
            }
        }
        ours.sort()
        theirs.sort()
        executor.sort()
        Measure.row(
            "docker task: deploy request → first output line, local node, median [range]", spread(ours),
            "within 50 ms of docker run")
        Measure.row("of which the executor: start → first output line, median [range]", spread(executor), "")
        Measure.row(
            "`docker run --rm` of the same image and limits → first output line, median [range]", spread(theirs), "")
        Measure.row(
            "difference of the medians",
            String(format: "%+.1f ms", (Measure.median(ours) - Measure.median(theirs)) * 1000),
            "≤ +50 ms")
    }

    private static func spread(_ sorted: [Double]) -> String {
        String(
            format: "%.1f ms [%.1f–%.1f]", Measure.median(sorted) * 1000, sorted.first! * 1000, sorted.last! * 1000)
    }

    /// Seconds from the request to the first bytes in the allocation's stdout.log; waits for Completed.
    private static func deployToFirstLine(_ node: LocalDeploymentNode, _ ensemble: Ensemble) async throws -> Double {
        let start = ContinuousClock.now
        let id = try await node.registry.create(ensemble, timeout: 60)
        let elapsed = try await firstBytes(
            in: node.allocationsDirectory.appendingPathComponent("\(id)_job.job/stdout.log"), since: start)
        let status = try await node.registry.wait(id, for: [.completed, .failed])
        guard status == .completed else {
            let reason = try await node.registry.record(id).reason
            fatalError("docker task ended \(status): \(reason)")
        }
        return elapsed
    }

    /// Seconds from `DockerExecutor.start` to the first bytes in the execution's stdout.log.
    private static func executorToFirstLine(_ docker: DockerExecutor, image: String, in directory: URL, round: Int)
        async throws -> Double
    {
        let logs = directory.appendingPathComponent("executor-\(round)")
        let start = ContinuousClock.now
        try await docker.start(
            ExecutionRequest(
                executionID: "bench-\(round)",
                workload: .docker(DockerWorkload(image: image, cmd: ["echo", "first"])),
                resources: Resources(cpu: CPUResources(cores: 0.5), ram: 64 << 20), logDirectory: logs))
        let elapsed = try await firstBytes(in: logs.appendingPathComponent("stdout.log"), since: start)
        _ = try await docker.wait("bench-\(round)")
        return elapsed
    }

    private static func firstBytes(in file: URL, since start: ContinuousClock.Instant) async throws -> Double {
        while ((try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0) == 0 {
            try await Task.sleep(for: .milliseconds(1))
        }
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Seconds from spawning `docker run --rm [the same limits] IMAGE echo first` to its first output bytes.
    private static func dockerRunToFirstLine(_ image: String) async throws -> Double {
        try await Task.detached {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/docker")
            // The limits the executor sets for the same allocation, so both sides start the same container.
            process.arguments = [
                "run", "--rm", "--memory", "64m", "--memory-swap", "64m", "--cpus", "0.5", "--pids-limit", "4096",
                "--security-opt", "no-new-privileges", image, "echo", "first",
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            let start = ContinuousClock.now
            try process.run()
            _ = output.fileHandleForReading.availableData
            let elapsed = ContinuousClock.now - start
            process.waitUntilExit()
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }.value
    }
}
