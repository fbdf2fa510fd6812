import Foundation
import GRDB

/// One start of the daemon on this data directory. A run found unfinished by a later start ended in a
/// crash or a kill, which tells the node that in-flight work needs recovery.
public struct DaemonRun: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        case stopped
        case unclean
    }

    public let id: Int64
    public let pid: Int32
    public let version: String
    public let startedAt: Date
    public let stoppedAt: Date?
    /// `nil` while the run is in progress.
    public let outcome: Outcome?
}

/// Records daemon starts and clean stops.
public struct DaemonRunRepository: Sendable {
    private let store: Store

    public init(store: Store) { self.store = store }

    /// Records a new run; earlier runs still in progress are marked unclean and returned.
    public func recordStart(pid: Int32, version: String, at date: Date = Date()) throws(StoreError) -> (
        current: DaemonRun, unclean: [DaemonRun]
    ) {
        try store.write { db in
            let unfinished = try Row.fetchAll(
                db, sql: "SELECT * FROM daemon_run WHERE outcome IS NULL ORDER BY id"
            ).map(Self.run(from:))
            try db.execute(sql: "UPDATE daemon_run SET outcome = 'unclean' WHERE outcome IS NULL")
            try db.execute(
                sql: "INSERT INTO daemon_run (pid, version, started_at) VALUES (?, ?, ?)",
                arguments: [pid, version, date])
            let current = DaemonRun(
                id: db.lastInsertedRowID, pid: pid, version: version, startedAt: date, stoppedAt: nil,
                outcome: nil)
            let unclean = unfinished.map {
                DaemonRun(
                    id: $0.id, pid: $0.pid, version: $0.version, startedAt: $0.startedAt, stoppedAt: nil,
                    outcome: .unclean)
            }
            return (current, unclean)
        }
    }

    public func recordStop(of run: DaemonRun, at date: Date = Date()) throws(StoreError) {
        try store.write { db in
            try db.execute(
                sql: "UPDATE daemon_run SET stopped_at = ?, outcome = 'stopped' WHERE id = ?",
                arguments: [date, run.id])
        }
    }

    public func all() throws(StoreError) -> [DaemonRun] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM daemon_run ORDER BY id").map(Self.run(from:))
        }
    }

    private static func run(from row: Row) -> DaemonRun {
        DaemonRun(
            id: row["id"], pid: row["pid"], version: row["version"], startedAt: row["started_at"],
            stoppedAt: row["stopped_at"], outcome: (row["outcome"] as String?).flatMap(DaemonRun.Outcome.init))
    }
}
