import DMSCore
import Foundation
import NunetTestSupport
import Testing

@Suite struct DaemonLifecycleTests {
    @Test(arguments: [SIGTERM, SIGINT])
    func startsAnswersHealthAndStopsCleanlyOnSignal(signal: Int32) async throws {
        let home = CLITestHome()
        let (daemon, port) = try await home.startDaemon()
        let health = try #require(LoopbackNetwork.get(port: port, path: "/health"))
        #expect(health.status == 200)
        let body = try JSONParser.parse(health.body)
        #expect(body["status"] == .string("ok"))
        #expect(body["version"] == .string(BuildInfo.version))

        let signalled = Date()
        daemon.signal(signal)
        let status = await daemon.wait(timeout: 10)
        let elapsed = Date().timeIntervalSince(signalled)
        #expect(status == 0, "\(daemon.stderr)")
        // The daemon bounds its graceful stop to 1.5 s, then cancels; this limit proves the stop is bounded
        // (not how fast it is: a starved test machine adds process teardown time on top).
        #expect(elapsed < 5, "shutdown took \(elapsed) s")
        #expect(LoopbackNetwork.get(port: port, path: "/health") == nil)

        let log = try String(contentsOfFile: home.nunetHome + "/logs/nunet.jsonl", encoding: .utf8)
        let messages = try log.split(separator: "\n").map { try JSONParser.parse(String($0))["message"] }
        #expect(messages.contains(.string("node starting")))
        #expect(messages.last == .string("node stopped"))
        #expect(daemon.stderr.contains("REST API listening"))
    }

    /// The daemon restarts itself once, as the same process, with glibc's per-thread cache cut to one chunk per
    /// size (what brings its memory back near idle after a flood); an operator's own setting is left alone.
    @Test(arguments: [
        (nil, "glibc.malloc.tcache_count=1"),
        ("glibc.malloc.arena_max=4", "glibc.malloc.arena_max=4:glibc.malloc.tcache_count=1"),
        ("glibc.malloc.tcache_count=7", "glibc.malloc.tcache_count=7"),
    ])
    func theDaemonRunsWithOneCachedChunkPerSizeUnlessTheOperatorChoseOtherwise(given: String?, expected: String)
        async throws
    {
        #if os(Linux)
            var home = CLITestHome()
            home.extraEnvironment["GLIBC_TUNABLES"] = given
            let (daemon, _) = try await home.startDaemon()
            daemon.signal(SIGTERM)
            #expect(await daemon.wait(timeout: 10) == 0, "\(daemon.stderr)")
            // What the daemon itself sees: glibc 2.36 cuts /proc/<pid>/environ's copy short at the first ':' it
            // parses, while the process's own environment (and the allocator) keep the whole value.
            let log = try String(contentsOfFile: home.nunetHome + "/logs/nunet.jsonl", encoding: .utf8)
            let starts = try log.split(separator: "\n").map { try JSONParser.parse(String($0)) }
                .filter { $0["message"] == .string("node starting") }
            #expect(starts.count == 1)
            #expect(starts.first?["glibc_tunables"] == .string(expected))
            #expect(starts.first?["pid"] == .string("\(daemon.pid)"), "the restart keeps the process")
        #endif
    }

    @Test func aSecondDaemonOnTheSameDataDirectoryExitsAtOnce() async throws {
        let home = CLITestHome()
        let (daemon, _) = try await home.startDaemon()
        let second = try await home.run("run", "--rest-port", String(LoopbackNetwork.freePort()))
        daemon.signal(SIGTERM)
        await daemon.wait()
        #expect(second.status == 1)
        #expect(second.stderr.contains("already running (pid \(daemon.pid))"), "\(second.stderr)")
        #expect(second.stderr.split(separator: "\n").count == 1, "\(second.stderr)")
    }

    @Test func aKilledDaemonsStaleLockIsTakenOverOnTheNextStart() async throws {
        let home = CLITestHome()
        let (killed, _) = try await home.startDaemon()
        let killedPID = killed.pid
        killed.signal(SIGKILL)
        await killed.wait()

        let (daemon, port) = try await home.startDaemon()
        #expect(LoopbackNetwork.get(port: port, path: "/health")?.status == 200)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        #expect(daemon.stderr.contains("took over a stale lock left by pid \(killedPID)"), "\(daemon.stderr)")
        #expect(daemon.stderr.contains("previous run did not stop cleanly"), "\(daemon.stderr)")
    }

    @Test func aBusyPortStopsTheStartWithOneLineNamingIt() async throws {
        let home = CLITestHome()
        let busy = try LoopbackNetwork.Listener()
        let result = try await home.run("run", "--rest-port", String(busy.port))
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "Error: port \(busy.port) on 127.0.0.1 is already in use (set rest.port or --rest-port to another port)\n"
        )
    }

    @Test func anInvalidFlagValueStopsTheStartBeforeAnythingIsCreated() async throws {
        let home = CLITestHome()
        let result = try await home.run("run", "--rest-port", "99999")
        #expect(result.status == 1)
        #expect(result.stderr.contains("invalid value for rest.port in flag --rest-port: \"99999\""))
        #expect(!FileManager.default.fileExists(atPath: home.nunetHome))
    }

    @Test func malformedConfigStopsTheStartNamingFileLineAndColumn() async throws {
        let home = CLITestHome()
        let path = home.root.write("work/dms_config.json", "{\n  \"rest\": {\"port\": 1,}\n}")
        let result = try await home.run("run")
        #expect(result.status == 1)
        #expect(result.stderr.contains("config file \(path) is not valid JSON: line 2, column 22"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func logLevelFlagControlsWhatIsLogged() async throws {
        let home = CLITestHome()
        let (daemon, _) = try await home.startDaemon(extraArguments: ["--log-level", "warning"])
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        #expect(!daemon.stderr.contains("node starting"), "\(daemon.stderr)")
    }

    @Test func anUnreachableBootstrapPeerNeverHoldsUpTheStartAndIsRetriedByName() async throws {
        let home = CLITestHome()
        let peer = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp"
        let address = "/ip4/127.0.0.1/tcp/\(LoopbackNetwork.freePort())/p2p/\(peer)"
        #expect(try await home.run("config", "set", "p2p.bootstrap_peers", address).status == 0)
        let (daemon, port) = try await home.startDaemon()
        #expect(LoopbackNetwork.get(port: port, path: "/health")?.status == 200)
        let logFile = home.nunetHome + "/logs/nunet.jsonl"
        func attempts() -> Int {
            let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
            return log.split(separator: "\n").filter {
                $0.contains("bootstrap peer not reachable") && $0.contains(address)
            }.count
        }
        // Named in the log, and tried again (after 2 s, then 4, 8 …).
        #expect(await NunetProcess.eventually(timeout: 30) { attempts() >= 2 }, "attempts logged: \(attempts())")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }
}
