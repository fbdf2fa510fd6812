import DMSCore
import Foundation
import GRDB

/// A resource hold recorded in the store: what an allocation was promised (committed, until
/// `expiresAt`) or holds (allocated).
public struct ResourceHold: Sendable, Equatable {
    public let allocationID: String
    public let resources: Resources
    /// Unix seconds; only for commitments.
    public let expiresAt: Double?

    public init(allocationID: String, resources: Resources, expiresAt: Double? = nil) {
        self.allocationID = allocationID
        self.resources = resources
        self.expiresAt = expiresAt
    }
}

/// Everything the resource manager persists.
public struct ResourceState: Sendable, Equatable {
    public var onboarded: Resources?
    public var commitments: [ResourceHold]
    public var allocations: [ResourceHold]
}

/// Onboarding, commitments and allocations, each change one transaction, so a restart finds exactly
/// what was committed and never a half-applied change.
public struct ResourceRepository: Sendable {
    private let store: Store

    public init(store: Store) { self.store = store }

    public func load() throws(StoreError) -> ResourceState {
        try store.read { db in
            let onboarding = try Row.fetchOne(db, sql: "SELECT onboarded, resources FROM onboarding WHERE id = 1")
            let onboarded: Resources? = try onboarding.flatMap { row in
                (row["onboarded"] as Bool) ? try Self.decode(row["resources"]) : nil
            }
            let commitments = try Row.fetchAll(db, sql: "SELECT * FROM resource_commitment ORDER BY created_at").map {
                ResourceHold(
                    allocationID: $0["allocation_id"], resources: try Self.decode($0["resources"]),
                    expiresAt: $0["expires_at"])
            }
            let allocations = try Row.fetchAll(db, sql: "SELECT * FROM resource_allocation ORDER BY created_at").map {
                ResourceHold(allocationID: $0["allocation_id"], resources: try Self.decode($0["resources"]))
            }
            return ResourceState(onboarded: onboarded, commitments: commitments, allocations: allocations)
        }
    }

    /// Records the onboarded resources (nil: offboarded) and, in the same transaction, removes the given
    /// commitments and allocations (offboarding with `--force`).
    public func setOnboarded(_ resources: Resources?, removing holds: [String] = []) throws(StoreError) {
        try store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO onboarding (id, onboarded, resources, updated_at) VALUES (1, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET onboarded = excluded.onboarded, resources = excluded.resources,
                    updated_at = excluded.updated_at
                    """,
                arguments: [resources != nil, try Self.encode(resources ?? .zero), Date()])
            for id in holds {
                try db.execute(sql: "DELETE FROM resource_commitment WHERE allocation_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM resource_allocation WHERE allocation_id = ?", arguments: [id])
            }
        }
    }

    public func insertCommitment(_ hold: ResourceHold) throws(StoreError) {
        try store.write { db in
            try db.execute(
                sql:
                    "INSERT INTO resource_commitment (allocation_id, resources, expires_at, created_at) VALUES (?, ?, ?, ?)",
                arguments: [hold.allocationID, try Self.encode(hold.resources), hold.expiresAt ?? 0, Date()])
        }
    }

    public func deleteCommitments(_ ids: [String]) throws(StoreError) {
        try store.write { db in
            for id in ids {
                try db.execute(sql: "DELETE FROM resource_commitment WHERE allocation_id = ?", arguments: [id])
            }
        }
    }

    /// Turns a commitment into an allocation atomically.
    public func allocate(_ id: String) throws(StoreError) {
        try store.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT resources FROM resource_commitment WHERE allocation_id = ?", arguments: [id])
            else { throw DatabaseError(message: "no commitment for allocation \(id)") }
            try db.execute(sql: "DELETE FROM resource_commitment WHERE allocation_id = ?", arguments: [id])
            try db.execute(
                sql: "INSERT INTO resource_allocation (allocation_id, resources, created_at) VALUES (?, ?, ?)",
                arguments: [id, row["resources"] as String, Date()])
        }
    }

    public func deleteAllocation(_ id: String) throws(StoreError) {
        try store.write { db in
            try db.execute(sql: "DELETE FROM resource_allocation WHERE allocation_id = ?", arguments: [id])
        }
    }

    static func encode(_ resources: Resources) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(resources), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> Resources {
        try JSONDecoder().decode(Resources.self, from: Data(text.utf8))
    }
}
