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
        return migrator
    }
}
