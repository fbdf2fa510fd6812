import Foundation
import GRDB

/// The node's SQLite database: one file in the data directory, WAL mode, schema brought up to date by
/// versioned migrations on open. Every feature that persists state keeps a repository over this store so
/// that writes are transactional and a restart finds exactly what was committed.
public final class Store: Sendable {
    public static let fileName = "nunet.sqlite"

    public let path: String
    /// Exposed so repositories in this module and higher layers can run transactions.
    public let database: DatabasePool

    private init(path: String, database: DatabasePool) {
        self.path = path
        self.database = database
    }

    /// Opens (creating if needed) the store at `path` and applies pending migrations.
    public static func open(at path: String) throws(StoreError) -> Store {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.label = "nunet-store"
        let database: DatabasePool
        do {
            database = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: Self.describe(error))
        }
        do {
            try StoreMigrations.migrator.migrate(database)
        } catch {
            throw StoreError.migrationFailed(path: path, reason: Self.describe(error))
        }
        return Store(path: path, database: database)
    }

    /// Opens the store in `directory` under its standard file name.
    public static func open(inDirectory directory: String) throws(StoreError) -> Store {
        try open(at: (directory as NSString).appendingPathComponent(fileName))
    }

    /// Checkpoints the WAL into the main file and closes every connection.
    public func close() throws(StoreError) {
        do {
            _ = try database.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            try database.close()
        } catch {
            throw StoreError.closeFailed(path: path, reason: Self.describe(error))
        }
    }

    /// Runs `body` in one write transaction; any error rolls the whole transaction back.
    public func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.write(body)
        } catch {
            throw StoreError.queryFailed(path: path, reason: Self.describe(error))
        }
    }

    public func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.read(body)
        } catch {
            throw StoreError.queryFailed(path: path, reason: Self.describe(error))
        }
    }

    static func describe(_ error: any Error) -> String {
        if let databaseError = error as? DatabaseError {
            return databaseError.message ?? databaseError.resultCode.description
        }
        return String(describing: error)
    }
}
