import Foundation
import GRDB

/// A deployment as the store keeps it: the columns queries filter on, and the orchestrator's whole record
/// as JSON (the store does not interpret it).
public struct StoredDeployment: Sendable, Equatable {
    public var id: String
    public var status: String
    /// Unix seconds.
    public var createdAt: Double
    public var updatedAt: Double
    public var completedAt: Double?
    public var metadata: [String: String]
    public var record: String

    public init(
        id: String, status: String, createdAt: Double, updatedAt: Double, completedAt: Double?,
        metadata: [String: String], record: String
    ) {
        self.id = id
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.completedAt = completedAt
        self.metadata = metadata
        self.record = record
    }
}

/// One status change of a deployment, with why it happened.
public struct DeploymentEvent: Sendable, Equatable, Codable {
    public var at: Double
    public var status: String
    public var reason: String
    public init(at: Double, status: String, reason: String) {
        self.at = at
        self.status = status
        self.reason = reason
    }
}

/// Which deployments a listing returns, and in what order.
public struct DeploymentQuery: Sendable, Equatable {
    public enum SortKey: String, Sendable, CaseIterable {
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case status
    }
    public var statuses: [String] = []
    /// `key=value` pairs that must all be in the deployment's metadata.
    public var metadata: [String: String] = [:]
    public var sort: SortKey = .createdAt
    public var descending = true
    public var limit = 1000
    public var offset = 0

    public init() {}
}

/// The orchestrator's deployment history. Every change is one transaction: the record and its status
/// event land together or not at all.
public struct DeploymentRepository: Sendable {
    private let store: Store

    public init(store: Store) { self.store = store }

    /// Inserts or replaces the deployment and appends `event` (if any) to its history.
    public func save(_ deployment: StoredDeployment, event: DeploymentEvent? = nil) throws(StoreError) {
        try store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO deployment (id, status, created_at, updated_at, completed_at, metadata, record)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at,
                    completed_at = excluded.completed_at, metadata = excluded.metadata, record = excluded.record
                    """,
                arguments: [
                    deployment.id, deployment.status, deployment.createdAt, deployment.updatedAt,
                    deployment.completedAt, try Self.encode(deployment.metadata), deployment.record,
                ])
            if let event {
                try db.execute(
                    sql: "INSERT INTO deployment_event (deployment_id, at, status, reason) VALUES (?, ?, ?, ?)",
                    arguments: [deployment.id, event.at, event.status, event.reason])
            }
        }
    }

    public func load(_ id: String) throws(StoreError) -> StoredDeployment? {
        try store.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM deployment WHERE id = ?", arguments: [id]).map(Self.deployment)
        }
    }

    public func events(of id: String) throws(StoreError) -> [DeploymentEvent] {
        try store.read { db in
            try Row.fetchAll(
                db, sql: "SELECT at, status, reason FROM deployment_event WHERE deployment_id = ? ORDER BY id",
                arguments: [id]
            ).map { DeploymentEvent(at: $0["at"], status: $0["status"], reason: $0["reason"]) }
        }
    }

    /// The IDs of every stored deployment: what may keep a log directory.
    public func ids() throws(StoreError) -> Set<String> {
        try store.read { db in Set(try String.fetchAll(db, sql: "SELECT id FROM deployment")) }
    }

    /// How many stored deployments are in each status: one grouped query, so a metrics scrape stays cheap however
    /// long the history.
    public func countsByStatus() throws(StoreError) -> [String: Int] {
        try store.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM deployment GROUP BY status") {
                counts[row["status"]] = row["n"]
            }
            return counts
        }
    }

    /// Deployments whose status is one of `statuses` (all when empty): what a restart restores.
    public func all(statuses: [String] = []) throws(StoreError) -> [StoredDeployment] {
        var query = DeploymentQuery()
        query.statuses = statuses
        query.limit = Int.max
        query.sort = .createdAt
        query.descending = false
        return try list(query).deployments
    }

    /// A page of deployments and the total number matching the query.
    public func list(_ query: DeploymentQuery) throws(StoreError) -> (deployments: [StoredDeployment], total: Int) {
        let all = try store.read { db in
            var sql = "SELECT * FROM deployment"
            var arguments: [any DatabaseValueConvertible] = []
            if !query.statuses.isEmpty {
                sql += " WHERE status IN (\(query.statuses.map { _ in "?" }.joined(separator: ",")))"
                arguments += query.statuses
            }
            sql += " ORDER BY \(query.sort.rawValue) \(query.descending ? "DESC" : "ASC"), id"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(Self.deployment)
        }
        // Metadata is JSON: filter here, so paging applies to the filtered list.
        let matching = all.filter { deployment in
            query.metadata.allSatisfy { deployment.metadata[$0.key] == $0.value }
        }
        let page = matching.dropFirst(query.offset).prefix(query.limit)
        return (Array(page), matching.count)
    }

    /// Deletes finished deployments (those with `completed_at`) created before `before` (all finished ones
    /// when nil); returns their IDs.
    @discardableResult
    public func prune(before: Double?) throws(StoreError) -> [String] {
        try store.write { db in
            var sql = "SELECT id FROM deployment WHERE completed_at IS NOT NULL"
            var arguments: [any DatabaseValueConvertible] = []
            if let before {
                sql += " AND created_at < ?"
                arguments.append(before)
            }
            let ids = try String.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
            for id in ids { try db.execute(sql: "DELETE FROM deployment WHERE id = ?", arguments: [id]) }
            return ids.sorted()
        }
    }

    /// Deletes one deployment and its history; false if there was none.
    @discardableResult
    public func delete(_ id: String) throws(StoreError) -> Bool {
        try store.write { db in
            try db.execute(sql: "DELETE FROM deployment WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    private static func deployment(_ row: Row) throws -> StoredDeployment {
        let metadataText: String = row["metadata"]
        let metadata = try JSONDecoder().decode([String: String].self, from: Data(metadataText.utf8))
        return StoredDeployment(
            id: row["id"], status: row["status"], createdAt: row["created_at"], updatedAt: row["updated_at"],
            completedAt: row["completed_at"], metadata: metadata, record: row["record"])
    }

    private static func encode(_ metadata: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(metadata), as: UTF8.self)
    }
}
