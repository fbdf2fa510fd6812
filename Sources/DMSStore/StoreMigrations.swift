import GRDB

/// The schema history. Migrations are append-only: a released migration is never edited, a change is a
/// new migration, so every existing data directory upgrades the same way.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-daemon-runs") { db in
            try db.create(table: "daemon_run") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("pid", .integer).notNull()
                table.column("version", .text).notNull()
                table.column("started_at", .datetime).notNull()
                table.column("stopped_at", .datetime)
                // NULL while running, then "stopped" (clean) or "unclean" (found unfinished by a later start).
                table.column("outcome", .text)
            }
        }
        migrator.registerMigration("v2-resources") { db in
            // One row: whether the machine is onboarded and what it offers.
            try db.create(table: "onboarding") { table in
                table.column("id", .integer).primaryKey().check { $0 == 1 }
                table.column("onboarded", .boolean).notNull()
                table.column("resources", .text).notNull()
                table.column("updated_at", .datetime).notNull()
            }
            try db.create(table: "resource_commitment") { table in
                table.column("allocation_id", .text).primaryKey()
                table.column("resources", .text).notNull()
                table.column("expires_at", .double).notNull()
                table.column("created_at", .datetime).notNull()
            }
            try db.create(table: "resource_allocation") { table in
                table.column("allocation_id", .text).primaryKey()
                table.column("resources", .text).notNull()
                table.column("created_at", .datetime).notNull()
            }
        }
        migrator.registerMigration("v3-deployments") { db in
            // Orchestrator side: one row per deployment, its whole record as JSON, and its status history.
            try db.create(table: "deployment") { table in
                table.column("id", .text).primaryKey()
                table.column("status", .text).notNull()
                table.column("created_at", .double).notNull()
                table.column("updated_at", .double).notNull()
                table.column("completed_at", .double)
                table.column("metadata", .text).notNull()
                table.column("record", .text).notNull()
            }
            try db.create(table: "deployment_event") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("deployment_id", .text).notNull().indexed()
                    .references("deployment", onDelete: .cascade)
                table.column("at", .double).notNull()
                table.column("status", .text).notNull()
                table.column("reason", .text).notNull()
            }
            // Provider side: the allocations this node runs for orchestrators.
            try db.create(table: "provider_allocation") { table in
                table.column("id", .text).primaryKey()
                table.column("ensemble_id", .text).notNull()
                table.column("status", .text).notNull()
                table.column("record", .text).notNull()
                table.column("updated_at", .double).notNull()
            }
        }
        return migrator
    }
}
