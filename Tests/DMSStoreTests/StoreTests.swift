import DMSStore
import Foundation
import NunetTestSupport
import Testing

@Suite struct StoreTests {
    @Test func opensInWALModeAndRecordsRunsAcrossReopen() throws {
        let directory = TemporaryDirectory()
        let store = try Store.open(inDirectory: directory.path)
        let mode = try store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let runs = DaemonRunRepository(store: store)
        let first = try runs.recordStart(pid: 100, version: "0.1.0")
        #expect(first.unclean.isEmpty)
        try runs.recordStop(of: first.current)
        try store.close()

        let reopened = try Store.open(inDirectory: directory.path)
        let all = try DaemonRunRepository(store: reopened).all()
        #expect(all.count == 1)
        #expect(all[0].outcome == .stopped)
        #expect(all[0].stoppedAt != nil)
        try reopened.close()
    }

    @Test func aRunThatNeverStoppedIsReportedOnceAsUnclean() throws {
        let directory = TemporaryDirectory()
        let store = try Store.open(inDirectory: directory.path)
        let runs = DaemonRunRepository(store: store)
        let crashed = try runs.recordStart(pid: 200, version: "0.1.0").current
        // No recordStop: the daemon was killed.
        let next = try runs.recordStart(pid: 201, version: "0.1.0")
        #expect(next.unclean.map(\.id) == [crashed.id])
        #expect(next.unclean.first?.outcome == .unclean)
        let third = try runs.recordStart(pid: 202, version: "0.1.0")
        #expect(third.unclean.map(\.pid) == [201])
        try store.close()
    }

    @Test func aFileThatIsNotADatabaseIsRefusedWithItsPath() throws {
        let directory = TemporaryDirectory()
        let path = directory.write(Store.fileName, String(repeating: "not a database ", count: 200))
        let error = #expect(throws: StoreError.self) { try Store.open(at: path) }
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("not a database") == true, "\(String(describing: error))")
    }

    @Test func failedWritesRollBackTheWholeTransaction() throws {
        let directory = TemporaryDirectory()
        let store = try Store.open(inDirectory: directory.path)
        #expect(throws: StoreError.self) {
            try store.write { db in
                try db.execute(sql: "INSERT INTO daemon_run (pid, version, started_at) VALUES (1, 'x', 0)")
                try db.execute(sql: "INSERT INTO no_such_table VALUES (1)")
            }
        }
        #expect(try DaemonRunRepository(store: store).all().isEmpty)
        try store.close()
    }
}
