import Foundation
import GRDB

/// An allocation this node runs for an orchestrator, as the store keeps it (the record is the provider's
/// JSON, not interpreted here).
public struct StoredAllocation: Sendable, Equatable {
    public var id: String
    public var ensembleID: String
    public var status: String
    public var record: String
    public init(id: String, ensembleID: String, status: String, record: String) {
        self.id = id
        self.ensembleID = ensembleID
        self.status = status
        self.record = record
    }
}

/// The provider's allocations, so a restart knows what was running when the daemon died.
public struct ProviderAllocationRepository: Sendable {
    private let store: Store

    public init(store: Store) { self.store = store }

    public func save(_ allocation: StoredAllocation) throws(StoreError) {
        try store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO provider_allocation (id, ensemble_id, status, record, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET status = excluded.status, record = excluded.record,
                    updated_at = excluded.updated_at
                    """,
                arguments: [
                    allocation.id, allocation.ensembleID, allocation.status, allocation.record,
                    Date().timeIntervalSince1970,
                ])
        }
    }

    public func all() throws(StoreError) -> [StoredAllocation] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM provider_allocation ORDER BY updated_at").map {
                StoredAllocation(
                    id: $0["id"], ensembleID: $0["ensemble_id"], status: $0["status"], record: $0["record"])
            }
        }
    }

    public func delete(_ id: String) throws(StoreError) {
        try store.write { db in try db.execute(sql: "DELETE FROM provider_allocation WHERE id = ?", arguments: [id]) }
    }
}
