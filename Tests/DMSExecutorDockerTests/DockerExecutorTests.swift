import DMSCore
import DMSExecutor
import DMSHTTPClient
import Foundation
import NunetTestSupport
import Testing

@testable import DMSExecutorDocker

/// Against the real Docker daemon (Tests/Docker/fixtures.sh builds the image); skipped without one.
@Suite struct DockerExecutorTests {
    let directory = TemporaryDirectory()
    let owner = "test-\(UUID().uuidString.prefix(8))"

    private func executor(grace: Duration = .seconds(2), allowPrivileged: Bool = false) -> DockerExecutor {
        DockerExecutor(
            settings: DockerSettings(
                endpoint: .unix(path: DockerTestEnvironment.socket), owner: owner, pidsLimit: 64, stopGrace: grace,
                allowPrivileged: allowPrivileged, publishAddress: "127.0.0.1"))
    }

    private func request(
        _ id: String, _ workload: DockerWorkload, ram: UInt64 = 64 << 20, timeout: Duration? = nil,
        progress: (@Sendable (String) -> Void)? = nil
    ) -> ExecutionRequest {
        ExecutionRequest(
            executionID: id, workload: .docker(workload), resources: Resources(cpu: CPUResources(cores: 0.5), ram: ram),
            logDirectory: URL(fileURLWithPath: directory.file(id)), timeout: timeout, progress: progress)
    }

    private func ownedContainers() async throws -> [DockerEngine.ContainerSummary] {
        try await DockerEngine(endpoint: .unix(path: DockerTestEnvironment.socket)).containers(
            label: "nunet.owner=\(owner)")
    }

    @Test func aTaskRunsWithItsEnvironmentAndIsRemovedWhenItEnds() async throws {
        guard let image = try await DockerTestEnvironment.image() else { return }
        let docker = executor()
        try await docker.start(
            request(
                "env-task",
                DockerWorkload(
                    image: image, cmd: ["sh", "-c", "env; echo to-stderr >&2"], environment: ["GREETING=hello"])))
        let result = try await docker.wait("env-task")
        #expect(result.succeeded, "\(result)")
        let stdout = try await collect(docker.logs("env-task", stream: .stdout, follow: false))
        #expect(stdout.contains("GREETING=hello"))
        #expect(try await collect(docker.logs("env-task", stream: .stderr, follow: false)) == "to-stderr\n")
        #expect(try await ownedContainers().isEmpty, "the ended container is removed")
    }

    @Test func entrypointWorkingDirectoryAndReadOnlyVolumesAreApplied() async throws {
        guard let image = try await DockerTestEnvironment.image() else { return }
        let docker = executor()
        let shared = directory.write("shared/input.txt", "from the host\n")
        var request = request(
            "mounted",
            DockerWorkload(
                image: image, entrypoint: ["sh", "-c"],
                cmd: ["pwd; cat /in/input.txt; echo x > /in/written && echo wrote || echo read-only"],
                workingDirectory: "/tmp"))
        request.mounts = [
            Mount(
                hostPath: URL(fileURLWithPath: shared).deletingLastPathComponent().path, guestPath: "/in",
                readOnly: true)
        ]
        try await docker.start(request)
        #expect(try await docker.wait("mounted").succeeded)
        #expect(
            try await collect(docker.logs("mounted", stream: .stdout, follow: false))
                == "/tmp\nfrom the host\nread-only\n")
        #expect(!FileManager.default.fileExists(atPath: directory.file("shared/written")))
    }

    @Test func aNonZeroExitIsTheResult() async throws {
        guard let image = try await DockerTestEnvironment.image() else { return }
        let docker = executor()
        try await docker.start(request("exit-3", DockerWorkload(image: image, cmd: ["sh", "-c", "exit 3"])))
        let result = try await docker.wait("exit-3")
        #expect(result.exitCode == 3)
        #expect(!result.succeeded && !result.killed)
    }

    @Test func aMemoryHogIsKilledAndReportedAsOutOfMemory() async throws {
        guard let image = try await DockerTestEnvironment.image() else { return }
        let docker = executor()
        try await docker.start(
            request(
                "hog",
                DockerWorkload(
                    image: image, cmd: ["sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived"]),
                ram: 32 << 20))
        let result = try await docker.wait("hog")
        #expect(result.killed)
        #expect(result.error == "out of memory: killed at the 32 MiB memory limit")
        #expect(!(try await collect(docker.logs("hog", stream: .stdout, follow: false))).contains("survived"))
    }

    @Test func aContainerIgnoringSIGTERMIsKilledAfterTheGracePeriod() async throws {
        guard let image = try await DockerTestEnvironment.image() else { return }
        let docker = executor(grace: .seconds(1))
        try await docker.start(
            request(
                "stubborn",
                DockerWorkload(
                    image: image, cmd: ["sh", "-c", "trap '' TERM; echo ready; while true; do sleep 1; done"])))
        #expect(
            await NunetProcess.eventually(timeout: 10) {
                (try? String(contentsOfFile: directory.file("stubborn/stdout.log"), encoding: .utf8)) == "ready\n"
            })
        try await docker.cancel("stubborn", reason: "stopped by the test")
        let result = try await docker.wait("stubborn")
        #expect(result.killed)
        #expect(result.error == "cancelled: stopped by the test")
        #expect(try await ownedContainers().isEmpty)
    }

    @Test func aTimeoutStopsTheContainer() async throws {
        guard let image = try await DockerTestEnvironment.image() else { return }
        let docker = executor(grace: .seconds(1))
        try await docker.start(
            request("slow", DockerWorkload(image: image, cmd: ["sleep", "60"]), timeout: .milliseconds(500)))
        let result = try await docker.wait("slow")
        #expect(result.killed && result.error?.hasPrefix("timed out after") == true, "\(result)")
    }

    @Test func anImageThatDoesNotExistFailsTheStartWithTheDaemonsMessage() async throws {
        guard try await DockerTestEnvironment.image() != nil else { return }
        let docker = executor()
        // A registry on loopback that nothing listens on: the pull fails at once.
        let port = LoopbackNetwork.freePort()
        let error = await #expect(throws: ExecutorError.self) {
            try await docker.start(
                request("missing", DockerWorkload(image: "127.0.0.1:\(port)/nothing/here:1", cmd: ["true"])))
        }
        #expect(
            error?.description.hasPrefix("image 127.0.0.1:\(port)/nothing/here:1 could not be pulled:") == true,
            "\(String(describing: error))")
        #expect(try await ownedContainers().isEmpty)
        #expect(await docker.list().isEmpty)
    }

    @Test func aDaemonThatIsNotRunningIsReportedAndNothingStarts() async throws {
        let docker = DockerExecutor(
            settings: DockerSettings(endpoint: .unix(path: directory.file("no-docker.sock")), owner: owner))
        let availability = await docker.availability()
        #expect(!availability.available)
        #expect(availability.detail.contains("cannot connect to unix://\(directory.file("no-docker.sock"))"))
        let error = await #expect(throws: ExecutorError.self) {
            try await docker.start(self.request("nowhere", DockerWorkload(image: "nunet-test/busybox:1")))
        }
        #expect(error?.description.hasPrefix("Docker daemon unavailable: ") == true, "\(String(describing: error))")
        #expect(await docker.list().isEmpty)
    }

    @Test func aDaemonThatDiesMidRunEndsTheExecutionWithTheReason() async throws {
        let daemon = try await FakeDockerDaemon(path: directory.file("dying-docker.sock"))
        let docker = DockerExecutor(settings: DockerSettings(endpoint: .unix(path: daemon.path), owner: owner))
        try await docker.start(request("orphaned", DockerWorkload(image: "app:1", cmd: ["serve"])))
        #expect(try await docker.status("orphaned") == .running)
        await daemon.die()
        let result = try await docker.wait("orphaned")
        #expect(result.exitCode == -1 && !result.succeeded)
        #expect(result.error?.hasPrefix("the Docker daemon stopped answering: ") == true, "\(result)")
    }

    @Test func privilegedContainersNeedTheProvidersConsent() async throws {
        let docker = executor(allowPrivileged: false)
        let error = await #expect(throws: ExecutorError.self) {
            try await docker.start(
                request("privileged", DockerWorkload(image: "nunet-test/busybox:1", privileged: true)))
        }
        #expect(error?.description.contains("docker.allow_privileged") == true)
    }

    @Test func execRunsACommandInTheRunningContainer() async throws {
        guard let image = try await DockerTestEnvironment.image() else { return }
        let docker = executor(grace: .seconds(1))
        try await docker.start(request("service", DockerWorkload(image: image, cmd: ["sleep", "60"])))
        let healthy = try await docker.exec("service", command: ["sh", "-c", "echo alive; exit 0"])
        #expect(healthy == CommandResult(exitCode: 0, output: "alive\n"))
        let unhealthy = try await docker.exec("service", command: ["sh", "-c", "exit 4"])
        #expect(unhealthy.exitCode == 4)
        let stats = try await docker.stats("service")
        #expect(stats.memoryBytes > 0)
        try await docker.remove("service")
        #expect(try await ownedContainers().isEmpty)
    }

    @Test func aPublishedPortAnswersOnTheHost() async throws {
        guard let image = try await DockerTestEnvironment.image() else { return }
        let docker = executor(grace: .seconds(1))
        let port = LoopbackNetwork.freePort()
        try await docker.start(
            request(
                "web",
                DockerWorkload(
                    image: image, cmd: ["httpd", "-f", "-p", "8080", "-h", "/www"],
                    ports: [PortBinding(hostPort: port, containerPort: 8080)])))
        var body: String?
        for _ in 0..<50 {
            let client = HTTP1Client(.tcp(host: "127.0.0.1", port: port))
            if let response = try? await client.send(HTTPRequest("GET", "/health"), timeout: .seconds(2)) {
                body = String(decoding: response.body, as: UTF8.self)
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(body == "ok")
        await docker.cleanup()
        #expect(try await ownedContainers().isEmpty)
    }

    @Test func aNewExecutorReattachesToARunningContainerAndRemovesOrphans() async throws {
        guard let image = try await DockerTestEnvironment.image() else { return }
        let first = executor(grace: .seconds(1))
        try await first.start(
            request("survivor", DockerWorkload(image: image, cmd: ["sh", "-c", "echo before; sleep 60"])))
        try await first.start(request("orphan", DockerWorkload(image: image, cmd: ["sleep", "60"])))
        // The daemon "crashed": a new executor with the same owner finds the survivor again.
        let second = executor(grace: .seconds(1))
        let resources = Resources(cpu: CPUResources(cores: 0.5), ram: 64 << 20)
        #expect(
            await second.reattach(
                "survivor", logDirectory: URL(fileURLWithPath: directory.file("survivor")), resources: resources))
        #expect(
            await !second.reattach(
                "never-started", logDirectory: URL(fileURLWithPath: directory.file("never-started")),
                resources: resources))
        await second.removeOrphans(keeping: ["survivor"])
        #expect(try await ownedContainers().map { $0.labels["nunet.execution"] } == ["survivor"])
        #expect(try await second.status("survivor") == .running)
        #expect(
            await NunetProcess.eventually(timeout: 10) {
                (try? String(contentsOfFile: directory.file("survivor/stdout.log"), encoding: .utf8)) == "before\n"
            })
        try await second.cancel("survivor", reason: "done")
        #expect(try await second.wait("survivor").killed)
        #expect(try await ownedContainers().isEmpty)
    }

    @Test func pullsFromARegistryWithProgress() async throws {
        guard let image = try await DockerTestEnvironment.image() else { return }
        let registryDirectory = directory.file("registry")
        let registry = try await DockerTestEnvironment.startRegistry(in: registryDirectory)
        let progress = ProgressLog()
        let docker = executor()
        let remote = "\(registry)/\(image)"
        try await docker.start(
            request("pulled", DockerWorkload(image: remote, cmd: ["echo", "pulled"]), progress: { progress.add($0) }))
        #expect(try await docker.wait("pulled").succeeded)
        #expect(progress.lines.first == "pulling \(remote)")
        #expect(progress.lines.contains { $0.hasPrefix("pulling \(remote): ") && $0.contains("layers") })
        let missing = "\(registry)/nunet-test/absent:1"
        let error = await #expect(throws: ExecutorError.self) {
            try await docker.start(request("absent", DockerWorkload(image: missing, cmd: ["true"])))
        }
        #expect(error?.description.hasPrefix("image \(missing) could not be pulled:") == true)

        // A digest pin is honoured: the registry's digest pulls, any other is refused.
        let manifest = try await HTTP1Client(.tcp(host: "127.0.0.1", port: Int(registry.split(separator: ":")[1])!))
            .send(
                HTTPRequest(
                    "GET", "/v2/\(image.split(separator: ":")[0])/manifests/\(image.split(separator: ":")[1])",
                    headers: [("Accept", "application/vnd.docker.distribution.manifest.v2+json")]),
                timeout: .seconds(5))
        let digest = try #require(manifest.header("Docker-Content-Digest"))
        let pinned = "\(registry)/\(image.split(separator: ":")[0])@\(digest)"
        try await docker.start(request("pinned", DockerWorkload(image: pinned, cmd: ["echo", "pinned"])))
        #expect(try await docker.wait("pinned").succeeded)
        let wrong = "\(registry)/\(image.split(separator: ":")[0])@sha256:\(String(repeating: "0", count: 64))"
        await #expect(throws: ExecutorError.self) {
            try await docker.start(request("wrong-pin", DockerWorkload(image: wrong, cmd: ["true"])))
        }
        await DockerTestEnvironment.stopRegistry(in: registryDirectory)
    }
}

private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func add(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}
