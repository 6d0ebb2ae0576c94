internal import FoundationEssentials

/// Schema migrations as data (STYLE A.5 lesson 14): an ordered list of `(id, sql)`.
///
/// Applied ids are recorded in `schema_migrations`. Each migration runs in its own IMMEDIATE
/// transaction together with its record, so a failing migration leaves the database exactly as
/// the previous one left it. Foreign-key enforcement is switched off while migrating (SQLite's
/// table-rebuild recipe needs that) and `PRAGMA foreign_key_check` runs before each COMMIT
/// instead, so a migration cannot leave dangling references behind.
///
/// Migration SQL must not contain BEGIN/COMMIT: the migrator owns the transaction.
public struct Migrator: Sendable {
    public struct Migration: Sendable {
        public let id: String
        public let sql: String
    }

    public let migrations: [Migration]

    /// Ids must be unique; order is application order and must never change once shipped.
    public init(_ migrations: [(id: String, sql: String)]) {
        var seen = Set<String>()
        for migration in migrations {
            precondition(seen.insert(migration.id).inserted, "duplicate migration id \(migration.id)")
        }
        self.migrations = migrations.map { Migration(id: $0.id, sql: $0.sql) }
    }

    /// Applies the migrations not yet recorded, in order; returns the ids applied now (empty
    /// when the database was up to date). Refuses a database that records a migration this
    /// binary does not know: it was migrated by a newer version, and running on it could corrupt it.
    @discardableResult
    public func migrate(_ connection: Connection) throws -> [String] {
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                id TEXT PRIMARY KEY NOT NULL,
                applied_at INTEGER NOT NULL -- unix milliseconds
            ) STRICT
            """)
        let applied = try appliedIDs(connection)
        let known = Set(migrations.map(\.id))
        let unknown = applied.filter { !known.contains($0) }
        guard unknown.isEmpty else { throw MigrationError.unknownMigrations(unknown) }

        let foreignKeysWereOn = (try connection.scalar("PRAGMA foreign_keys") as Int?) == 1
        try connection.execute("PRAGMA foreign_keys=OFF")
        defer { if foreignKeysWereOn { try? connection.execute("PRAGMA foreign_keys=ON") } }

        let done = Set(applied)
        var appliedNow: [String] = []
        for migration in migrations where !done.contains(migration.id) {
            do {
                try connection.transaction(.immediate) {
                    try connection.execute(migration.sql)
                    try checkForeignKeys(connection, migration: migration.id)
                    try connection.execute("INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)",
                                           [migration.id, Date()])
                }
            } catch let error as SQLiteError {
                throw MigrationError.failed(migration: migration.id, error)
            }
            appliedNow.append(migration.id)
        }
        return appliedNow
    }

    /// Ids recorded in the database, in the order they were applied.
    public func appliedIDs(_ connection: Connection) throws -> [String] {
        var ids: [String] = []
        try connection.query("SELECT id FROM schema_migrations ORDER BY rowid") { ids.append($0.string(0)) }
        return ids
    }

    private func checkForeignKeys(_ connection: Connection, migration: String) throws {
        var violations: [String] = []
        try connection.query("PRAGMA foreign_key_check") { row in
            // table, rowid, parent table, foreign key index
            violations.append("\(row.string(0)) rowid \(row.int64(1)) -> \(row.string(2))")
        }
        guard violations.isEmpty else {
            throw MigrationError.foreignKeyViolations(migration: migration, violations: violations)
        }
    }
}

public enum MigrationError: Error, Sendable, CustomStringConvertible {
    /// The database was migrated by a newer binary (it records ids this one does not know).
    case unknownMigrations([String])
    /// The migration left rows whose foreign keys point nowhere; it was rolled back.
    case foreignKeyViolations(migration: String, violations: [String])
    /// The migration's SQL failed; it was rolled back, earlier migrations stay applied.
    case failed(migration: String, SQLiteError)

    public var description: String {
        switch self {
        case .unknownMigrations(let ids):
            "the database has migrations this version does not know (\(ids.joined(separator: ", "))): "
                + "it was created by a newer version of the server; refusing to start"
        case .foreignKeyViolations(let migration, let violations):
            "migration \(migration) leaves \(violations.count) foreign key violation(s), e.g. \(violations[0]); rolled back"
        case .failed(let migration, let error):
            "migration \(migration) failed and was rolled back: \(error)"
        }
    }
}

extension DatabasePool {
    /// Runs `migrator` on the writer. Call at startup, before the listener opens.
    @discardableResult
    public func migrate(_ migrator: Migrator) async throws -> [String] {
        try await writeWithoutTransaction { try migrator.migrate($0) }
    }
}
