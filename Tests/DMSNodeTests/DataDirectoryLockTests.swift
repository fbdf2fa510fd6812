import DMSNode
import Foundation
import NunetTestSupport
import Testing

@Suite struct DataDirectoryLockTests {
    @Test func aSecondHolderIsToldWhoIsRunning() throws {
        let directory = TemporaryDirectory()
        let first = try DataDirectoryLock.acquire(inDirectory: directory.path, pid: 4242)
        let error = #expect(throws: StartupError.self) {
            try DataDirectoryLock.acquire(inDirectory: directory.path, pid: 4343)
        }
        #expect(error == .alreadyRunning(pid: 4242, lockFile: first.path))
        #expect(error?.description.hasPrefix("already running (pid 4242)") == true)
        first.release()
        let second = try DataDirectoryLock.acquire(inDirectory: directory.path, pid: 4343)
        #expect(second.stalePID == nil)
        second.release()
    }

    @Test func aLockLeftByADeadProcessIsTakenOverAndReported() throws {
        let directory = TemporaryDirectory()
        directory.write(DataDirectoryLock.fileName, "31337\n")
        let lock = try DataDirectoryLock.acquire(inDirectory: directory.path, pid: 5000)
        #expect(lock.stalePID == 31337)
        #expect(DataDirectoryLock.recordedPID(inDirectory: directory.path) == 5000)
        lock.release()
        #expect(DataDirectoryLock.recordedPID(inDirectory: directory.path) == nil)
    }
}
