import Foundation
import NunetTestSupport
import Testing

/// The harness that runs daemons for the CLI tests: a test that fails half-way leaves nothing running.
@Suite struct NunetProcessTests {
    @Test func aProcessStillRunningWhenItsObjectGoesIsKilled() async throws {
        var pid: Int32 = 0
        do {
            let sleeper = try NunetProcess(
                ["600"], environment: [:], directory: "/", executable: URL(fileURLWithPath: "/bin/sleep"))
            pid = sleeper.pid
            #expect(sleeper.process.isRunning)
        }
        let gone = await NunetProcess.eventually(timeout: 10) {
            // Killed and reaped, or killed and not yet reaped (a zombie).
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            return stat.contains(") Z ")
        }
        #expect(gone, "process \(pid) still runs after its NunetProcess went")
    }
}
