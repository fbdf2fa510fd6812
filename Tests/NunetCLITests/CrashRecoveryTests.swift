import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// A provider's daemon killed with SIGKILL while a WASM job runs (a crash, an OOM kill, a power cut of the
/// service manager), then started again at once, as a service manager would.
@Suite struct CrashRecoveryTests {
    /// PIDs of processes other than `except` holding a file under `directory` open (a runner writing its log).
    static func processes(holdingFilesIn directory: String, except: Int32) -> [Int32] {
        let manager = FileManager.default
        let pids = ((try? manager.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
        return pids.filter { pid in
            guard pid != except, let fds = try? manager.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else {
                return false
            }
            return fds.contains { fd in
                (try? manager.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)"))?.hasPrefix(directory) == true
            }
        }
    }

    @Test func aRestartRightAfterACrashBindsItsPortsAndTheOrphanedRunnerEnds() async throws {
        let home = CLITestHome()
        var (daemon, client) = try await home.startControlledDaemon()
        defer { daemon.signal(SIGTERM) }
        #expect(try await client.onboardQuarter() != nil)
        let restPort = Int(client.extraEnvironment["DMS_REST_PORT"]!)!
        home.root.write("work/spin.wasm", "")
        try Data(WasmFixtures.printThenSpin("spinning\n")).write(
            to: URL(fileURLWithPath: home.root.file("work/spin.wasm")))
        home.root.write(
            "work/spin.yaml",
            """
            version: V1
            allocations:
              spin:
                type: service
                executor: wasm
                resources: {cpu: {cores: 0.5}, ram: {size: 64MiB}, disk: {size: 64MiB}}
                execution: {type: wasm, module: spin.wasm, fuel: 1000000000000, timeout: 600}
            """)
        let deployed = try await client.run("deploy", "-f", "spin.yaml", "--wait")
        #expect(deployed.status == 0, "\(deployed.stdout) \(deployed.stderr)")
        let runners = Self.processes(holdingFilesIn: home.root.path, except: daemon.pid)
        #expect(!runners.isEmpty, "the runner writes the allocation's log")

        daemon.signal(SIGKILL)
        _ = await daemon.wait()
        // Started again at once on the same REST port: nothing of the old daemon holds it.
        (daemon, _) = try await client.startDaemon(port: restPort)
        var left = runners
        for _ in 0..<50 where !left.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            left = runners.filter {
                kill($0, 0) == 0 && Self.processes(holdingFilesIn: home.root.path, except: daemon.pid).contains($0)
            }
        }
        #expect(left.isEmpty, "runners of the crashed daemon end by themselves: \(left)")
    }
}
