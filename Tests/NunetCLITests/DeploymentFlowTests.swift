import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// A developer's deployments through the CLI against a running daemon that deploys to itself: validate,
/// deploy and wait, list, inspect, read logs, shut down, survive a crash, prune and delete.
@Suite struct CLIDeploymentFlowTests {
    static let task = """
        version: V1
        metadata: {team: docs}
        allocations:
          job:
            type: task
            executor: null
            resources: {cpu: {cores: 0.5}, ram: {size: 64MiB}, disk: {size: 64MiB}}
            execution: {type: null, stdout: "hello from the null executor"}
        """

    static let service = """
        version: V1
        allocations:
          web:
            type: service
            executor: null
            resources: {cpu: {cores: 0.5}, ram: {size: 64MiB}, disk: {size: 64MiB}}
            execution: {type: null}
        """

    @Test func validateReportsEveryProblemOfABadFileWithoutADaemon() async throws {
        let home = CLITestHome()
        let bad = home.root.write(
            "work/bad.yaml",
            """
            version: V1
            allocations:
              api:
                type: job
                executor: null
                resources: {cpu: {cores: 0}, ram: {size: 12 XB}, disk: {size: 1}}
                execution: {type: null}
                depends_on: [db]
            """)
        let result = try await home.run("validate", bad)
        #expect(result.status == 1)
        for expected in [
            "allocations.api.type", "allocations.api.resources.cpu.cores", "allocations.api.resources.ram.size",
            "allocations.api.depends_on",
        ] {
            #expect(result.stderr.contains(expected), "\(expected) in \(result.stderr)")
        }
        let good = home.root.write("work/good.yaml", Self.task)
        let valid = try await home.run("validate", good)
        #expect(valid.status == 0, "\(valid.stderr)")
        #expect(valid.stdout.contains("valid"), "\(valid.stdout)")

        // Valid, but asking for what this node does not do: refused, never silently ignored.
        let shared = home.root.write(
            "work/shared.yaml",
            Self.task + "\n    volume: [{type: glusterfs, name: gv0, servers: [10.0.0.1], mount_destination: /data}]\n")
        let refused = try await home.run("validate", shared)
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("not supported by this node yet: allocations.job.volume[0].type (glusterfs)"),
            "\(refused.stderr)")
    }

    @Test func deployWaitListLogsShutdownCrashPruneAndDelete() async throws {
        let home = CLITestHome()
        var (daemon, client) = try await home.startControlledDaemon()
        let offered = try #require(try await client.onboardQuarter())

        // A task: followed through its states to Completed.
        home.root.write("work/task.yaml", Self.task)
        let deployed = try await client.run("deploy", "-f", "task.yaml", "--wait")
        #expect(deployed.status == 0, "\(deployed.stderr) \(deployed.stdout)")
        for state in ["Committing", "Provisioning", "Running", "Completed"] {
            #expect(deployed.stdout.contains(state), "\(state) in \(deployed.stdout)")
        }
        let id = try #require(CLITestHome.deploymentID(deployed.stdout))
        let list = try await client.run("get", "deployments")
        #expect(list.stdout.contains(id) && list.stdout.contains("Completed") && list.stdout.contains("team=docs"))
        let filtered = try await client.run("get", "deployments", "--filter", "team=other")
        #expect(!filtered.stdout.contains(id))
        let shown = try await client.run("get", "deployment", id)
        #expect(shown.stdout.contains("job") && shown.stdout.contains("completed"), "\(shown.stdout)")
        let logs = try await client.run("logs", id, "job")
        #expect(logs.stdout == "hello from the null executor", "\(logs.stdout) \(logs.stderr)")

        // Following the output of a task that is still to run: it ends when the task does.
        home.root.write(
            "work/slow.yaml",
            Self.task.replacingOccurrences(of: "execution: {type: null,", with: "execution: {type: null, seconds: 1,"))
        let slow = try await client.run("deploy", "-f", "slow.yaml")
        let slowID = try #require(
            CLITestHome.deploymentID(slow.stdout))
        let followed = try await client.run("logs", slowID, "job", "--follow")
        #expect(followed.status == 0, "\(followed.stderr)")
        #expect(followed.stdout == "hello from the null executor", "\(followed.stdout)")
        #expect(try await client.run("get", "deployment", slowID).stdout.contains("Completed"))

        // Too big for this node: refused with the numbers.
        home.root.write(
            "work/big.yaml", Self.task.replacingOccurrences(of: "size: 64MiB}, disk", with: "size: 4096}, disk"))
        let big = try await client.run("deploy", "-f", "big.yaml", "--wait")
        #expect(big.status == 1)
        #expect(big.stderr.contains("ram: need 4 TiB, \(Units.formatBytes(offered)) free"), "\(big.stderr)")

        // A service: Running until shut down; the provider lists its allocation meanwhile.
        home.root.write("work/service.yaml", Self.service)
        let service = try await client.run("deploy", "-f", "service.yaml", "--wait")
        #expect(service.status == 0, "\(service.stderr)")
        let serviceID = try #require(
            CLITestHome.deploymentID(service.stdout))
        let allocations = try await client.run("get", "allocations")
        #expect(allocations.stdout.contains("\(serviceID)_web.web") && allocations.stdout.contains("running"))
        // /metrics counts it by executor and status.
        let restPort = try #require(Int(client.extraEnvironment["DMS_REST_PORT"] ?? ""))
        let metrics = try #require(LoopbackNetwork.get(port: restPort, path: "/metrics")).body
        #expect(metrics.contains(#"nunet_allocations{executor="null",status="running"} 1"#), "\(metrics)")
        let shutdown = try await client.run("deployment", "shutdown", serviceID)
        #expect(shutdown.status == 0, "\(shutdown.stderr)")
        #expect(try await client.run("get", "deployment", serviceID).stdout.contains("Completed"))

        // A crash while a service runs: the next start reports it Failed with the reason.
        let crashed = try await client.run("deploy", "-f", "service.yaml", "--wait")
        let crashedID = try #require(
            CLITestHome.deploymentID(crashed.stdout))
        daemon.signal(SIGKILL)
        _ = await daemon.wait()
        let port: Int
        (daemon, port) = try await client.startDaemon()
        client.extraEnvironment["DMS_REST_PORT"] = String(port)
        var report = ""
        for _ in 0..<100 where !report.contains("the daemon stopped while it ran") {
            report = try await client.run("get", "deployment", crashedID).stdout
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(report.contains("Failed") && report.contains("the daemon stopped while it ran"), "\(report)")

        // History: delete one, prune the rest.
        let deleted = try await client.run("deployment", "delete", id)
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(try await client.run("get", "deployment", id).stderr.contains("not found"))
        let pruned = try await client.run("deployment", "prune", "--all")
        #expect(pruned.stdout.contains("pruned 4 deployment(s)"), "\(pruned.stdout)")
        #expect(!(try await client.run("get", "deployments").stdout.contains(serviceID)))
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }
}

/// The README walkthrough: build examples/hello-wasm from C, deploy it to the local node, read its
/// output. Needs the WASI sysroot and builtins (`wasi-libc`, `libclang-rt-14-dev-wasm32`), which
/// `.ci/run` installs; skipped with a message elsewhere.
@Suite struct HelloWasmWalkthroughTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")

    @Test func helloWasmBuildsDeploysAndPrints() async throws {
        let home = CLITestHome()
        let copy = URL(fileURLWithPath: home.workingDirectory)
        try FileManager.default.copyItem(
            at: Self.examples.appendingPathComponent("hello-wasm"), to: copy.appendingPathComponent("hello-wasm"))
        try FileManager.default.copyItem(
            at: Self.examples.appendingPathComponent("hello-wasm.yaml"),
            to: copy.appendingPathComponent("hello-wasm.yaml"))
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/bin/bash")
        build.arguments = [copy.appendingPathComponent("hello-wasm/build.sh").path]
        let errors = Pipe()
        build.standardError = errors
        build.standardOutput = FileHandle.nullDevice
        try build.run()
        build.waitUntilExit()
        guard build.terminationStatus == 0 else {
            let reason = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("hello-wasm did not build in CI: \(reason)")
            } else {
                print("skipping the hello-wasm walkthrough: \(reason)")
            }
            return
        }
        let validated = try await home.run("validate", "hello-wasm.yaml")
        #expect(validated.status == 0, "\(validated.stderr)")

        let (daemon, client) = try await home.startControlledDaemon()
        _ = try #require(try await client.onboardQuarter())
        let deployed = try await client.run("deploy", "-f", "hello-wasm.yaml", "--wait")
        #expect(deployed.status == 0, "\(deployed.stderr)")
        #expect(deployed.stdout.contains("Completed"), "\(deployed.stdout)")
        let id = try #require(CLITestHome.deploymentID(deployed.stdout))
        let logs = try await client.run("logs", id, "hello")
        #expect(
            logs.stdout == "Hello from WASM!\narg 1: from\narg 2: nunet\nGREETING=hello, provider\n",
            "\(logs.stdout) \(logs.stderr)")
        let pruned = try await client.run("deployment", "prune", "--all")
        #expect(pruned.stdout.contains("pruned 1 deployment(s)"), "\(pruned.stdout)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }
}
