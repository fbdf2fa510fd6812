import Foundation
import Testing

@testable import DMSExecutor

@Suite struct OrphanedRunnersTests {
    /// A process whose environment names a dead daemon as its parent is stopped; one naming another daemon
    /// is left alone.
    @Test func stopsOnlyTheRunnersOfTheNamedDaemon() async throws {
        func start(parent: String) throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sleep")
            process.arguments = ["30"]
            process.environment = [ParentWatch.variable: parent]
            try process.run()
            return process
        }
        let orphan = try start(parent: "999991")
        let other = try start(parent: "999992")
        defer { other.terminate() }
        let stopped = OrphanedRunners.stop(leftBy: 999_991)
        #expect(stopped == [orphan.processIdentifier])
        orphan.waitUntilExit()
        #expect(orphan.terminationReason == .uncaughtSignal && orphan.terminationStatus == SIGKILL)
        #expect(other.isRunning)
    }
}
