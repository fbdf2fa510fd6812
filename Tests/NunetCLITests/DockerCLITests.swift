import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// A developer's Docker deployments through the CLI against a daemon with a real Docker daemon behind it: a
/// task's environment and exit code, an out-of-memory kill, a service on a published port with its health
/// check that is restarted when it dies and gone after shutdown, and a daemon crash that the running
/// container survives. Skipped without Docker (Tests/Docker/fixtures.sh builds the image).
@Suite(.serialized) struct DockerCLITests {
    static func task(_ image: String, _ script: String, ram: String = "64MiB") -> String {
        """
        version: V1
        allocations:
          job:
            type: task
            executor: docker
            resources: {cpu: {cores: 0.5}, ram: {size: \(ram)}, disk: {size: 64MiB}}
            execution:
              type: docker
              image: \(image)
              cmd: [sh, -c, "\(script)"]
              environment: [GREETING=hello-from-docker]
        """
    }

    static func service(_ image: String, port: Int) -> String {
        """
        version: V1
        allocations:
          web:
            type: service
            executor: docker
            resources: {cpu: {cores: 0.5}, ram: {size: 64MiB}, disk: {size: 64MiB}}
            execution: {type: docker, image: \(image), cmd: [httpd, -f, -p, "8080", -h, /www]}
            failure_recovery: one_for_one
            healthcheck:
              type: http
              endpoint: http://localhost:8080/health
              response: {type: string, value: ok}
              interval: 1s
        nodes:
          box:
            allocations: [web]
            ports: [{public: \(port), private: 8080, allocation: web}]
        """
    }

    /// The containers of a deployment, by `docker ps` (the user's view).
    static func containers(_ deployment: String) async throws -> [String] {
        let listed = try await NunetProcess.run(
            ["ps", "-q", "--filter", "label=nunet.deployment=\(deployment)"],
            environment: ProcessInfo.processInfo.environment, directory: "/",
            executable: URL(fileURLWithPath: "/usr/bin/docker"))
        return listed.stdout.split(separator: "\n").map(String.init)
    }

    /// The service's `GET /health` body on its published port, or nil when nothing answers.
    static func health(_ port: Int) async -> String? {
        try? await offThePool { LoopbackNetwork.get(port: port, path: "/health")?.body }
    }

    /// Polls `condition` every 200 ms for up to `seconds`.
    static func eventually(_ seconds: Int = 20, _ condition: () async throws -> Bool) async rethrows -> Bool {
        for _ in 0..<(seconds * 5) {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return try await condition()
    }

    @Test func tasksReportTheirOutputExitCodeAndMemoryKills() async throws {
        guard let image = try await DockerTestEnvironment.image() else { return }
        let home = CLITestHome()
        let (daemon, client) = try await home.startControlledDaemon()
        defer { daemon.signal(SIGTERM) }
        #expect(try await client.onboardQuarter() != nil)
        let hardware = try await client.run("hardware")
        #expect(hardware.stdout.contains("executor docker: available (Docker "), "\(hardware.stdout)")

        home.root.write("work/env.yaml", Self.task(image, "env; echo done"))
        let env = try await client.run("deploy", "-f", "env.yaml", "--wait")
        #expect(env.status == 0, "\(env.stdout) \(env.stderr)")
        #expect(env.stdout.contains("Completed"))
        let envID = try #require(CLITestHome.deploymentID(env.stdout))
        let logs = try await client.run("logs", envID, "job")
        #expect(logs.stdout.contains("GREETING=hello-from-docker") && logs.stdout.hasSuffix("done\n"), "\(logs.stdout)")

        // An image its registry does not have: the deployment fails at once with the registry's answer.
        let registryDirectory = home.root.file("registry")
        let registry = try await DockerTestEnvironment.startRegistry(in: registryDirectory)
        home.root.write(
            "work/absent.yaml",
            Self.task(image, "true").replacingOccurrences(
                of: "image: \(image)", with: "image: \(registry)/nunet-test/absent:1"))
        let absent = try await client.run("deploy", "-f", "absent.yaml", "--wait")
        await DockerTestEnvironment.stopRegistry(in: registryDirectory)
        #expect(absent.status == 1)
        #expect(absent.stderr.contains("image \(registry)/nunet-test/absent:1 could not be pulled"), "\(absent.stderr)")
        #expect(!absent.stdout.contains("retrying"), "\(absent.stdout)")

        home.root.write("work/exit.yaml", Self.task(image, "echo failing; exit 3"))
        let exit = try await client.run("deploy", "-f", "exit.yaml", "--wait")
        #expect(exit.status == 1)
        #expect(exit.stderr.contains("exited 3"), "\(exit.stderr)")

        home.root.write(
            "work/hog.yaml", Self.task(image, "x=$(head -c 100000000 /dev/urandom); echo survived", ram: "32MiB"))
        let hog = try await client.run("deploy", "-f", "hog.yaml", "--wait")
        #expect(hog.status == 1)
        #expect(hog.stderr.contains("out of memory: killed at the 32 MiB memory limit"), "\(hog.stderr)")
        for id in [envID] { #expect(try await Self.containers(id).isEmpty) }

        // The README's walkthrough, with the example as shipped. Docker Hub is out of reach here, so the
        // test image stands in for busybox:1.36 unless the real one is present.
        let docker = URL(fileURLWithPath: "/usr/bin/docker")
        let environment = ProcessInfo.processInfo.environment
        if try await NunetProcess.run(
            ["image", "inspect", "busybox:1.36"], environment: environment, directory: "/", executable: docker
        ).status != 0 {
            _ = try await NunetProcess.run(
                ["tag", image, "busybox:1.36"], environment: environment, directory: "/", executable: docker)
        }
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/hello-docker.yaml").path
        let hello = try await client.run("deploy", "-f", example, "--wait")
        #expect(hello.status == 0 && hello.stdout.contains("Completed"), "\(hello.stdout) \(hello.stderr)")
        let helloID = try #require(CLITestHome.deploymentID(hello.stdout))
        let helloLogs = try await client.run("logs", helloID, "hello")
        #expect(helloLogs.stdout == "hello from a container\nmemory limit: 67108864\n", "\(helloLogs.stdout)")
    }

    @Test func aServiceIsPublishedHealthCheckedRestartedReattachedAndRemoved() async throws {
        guard let image = try await DockerTestEnvironment.image() else { return }
        let home = CLITestHome()
        var (daemon, client) = try await home.startControlledDaemon()
        defer { daemon.signal(SIGTERM) }
        #expect(try await client.onboardQuarter() != nil)
        let port = LoopbackNetwork.freePort()
        home.root.write("work/web.yaml", Self.service(image, port: port))
        let deployed = try await client.run("deploy", "-f", "web.yaml", "--wait")
        #expect(deployed.status == 0, "\(deployed.stdout) \(deployed.stderr)")
        let id = try #require(CLITestHome.deploymentID(deployed.stdout))
        #expect(await Self.eventually { await Self.health(port) == "ok" })
        let shown = try await client.run("get", "deployment", id)
        #expect(shown.stdout.contains("\(port)->8080"), "the manifest lists the published port: \(shown.stdout)")

        // Health checks pass (interval 1 s, three failures restart): the same container a few checks later.
        let first = try await Self.containers(id)
        #expect(first.count == 1)
        try await Task.sleep(for: .seconds(4))
        let healthy = try await client.run("get", "deployment", id)
        #expect(healthy.stdout.contains("Running"), "\(healthy.stdout)")
        #expect(try await Self.containers(id) == first, "never restarted: \(healthy.stdout)")

        // The container dies: supervision starts a new one, which answers again.
        _ = try await NunetProcess.run(
            ["kill"] + first, environment: ProcessInfo.processInfo.environment, directory: "/",
            executable: URL(fileURLWithPath: "/usr/bin/docker"))
        var restarted: [String] = []
        let replaced = try await Self.eventually {
            restarted = try await Self.containers(id)
            guard restarted.count == 1 && restarted != first else { return false }
            return await Self.health(port) == "ok"
        }
        let afterKill = try await client.run("get", "deployment", id).stdout
        #expect(replaced, "a new container replaced \(first): \(restarted) \(afterKill)")

        // The daemon crashes: the container keeps serving, and the restarted daemon takes it back.
        daemon.signal(SIGKILL)
        _ = await daemon.wait()
        #expect(await Self.health(port) == "ok")
        let restPort: Int
        (daemon, restPort) = try await client.startDaemon()
        client.extraEnvironment["DMS_REST_PORT"] = String(restPort)
        let allocations = try await client.run("get", "allocations")
        #expect(allocations.stdout.contains("running"), "re-attached, not reported dead: \(allocations.stdout)")
        #expect(try await Self.containers(id) == restarted, "the same container, not a new one")

        // Shutdown: nothing is left.
        let shutdown = try await client.run("deployment", "shutdown", id)
        #expect(shutdown.status == 0, "\(shutdown.stderr)")
        #expect(try await Self.containers(id).isEmpty)
        #expect(await Self.health(port) == nil)
    }
}
