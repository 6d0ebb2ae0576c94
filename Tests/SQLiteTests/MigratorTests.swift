import Testing
import SQLite

@Suite("Migrator")
struct MigratorTests {
    static let v1 = (id: "001-meters", sql: "CREATE TABLE meter (id INTEGER PRIMARY KEY, serial TEXT NOT NULL UNIQUE)")
    static let v2 = (id: "002-readings", sql: """
        CREATE TABLE reading (id INTEGER PRIMARY KEY, meter INTEGER NOT NULL REFERENCES meter(id), value REAL);
        CREATE INDEX reading_meter ON reading(meter);
        """)
    static let v3 = (id: "003-seed", sql: "INSERT INTO meter (serial) VALUES ('A1'); INSERT INTO reading (meter, value) VALUES (1, 2.5)")

    @Test("applied once, in order; a second start is a no-op")
    func appliesOnce() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/m.db"
            let migrator = Migrator([Self.v1, Self.v2, Self.v3])
            do {
                let pool = try DatabasePool(path: path)
                #expect(try await pool.migrate(migrator) == ["001-meters", "002-readings", "003-seed"])
                await pool.close()
            }
            let pool = try DatabasePool(path: path)
            #expect(try await pool.migrate(migrator) == [])
            let (applied, readings, foreignKeys) = try await pool.read { db in
                (try migrator.appliedIDs(db), try db.scalar("SELECT count(*) FROM reading") as Int?,
                 try db.scalar("PRAGMA foreign_keys") as Int?)
            }
            #expect(applied == ["001-meters", "002-readings", "003-seed"])
            #expect(readings == 1)
            #expect(foreignKeys == 1, "foreign keys are back on after migrating")
            let writerForeignKeys: Int? = try await pool.write { try $0.scalar("PRAGMA foreign_keys") }
            #expect(writerForeignKeys == 1)
            await pool.close()
        }
    }

    @Test("a database migrated by a newer binary is refused")
    func newerDatabaseRefused() async throws {
        try await withPool { pool, _ in
            try await pool.migrate(Migrator([Self.v1, Self.v2]))
            await #expect { try await pool.migrate(Migrator([Self.v1])) } throws: { error in
                guard case MigrationError.unknownMigrations(let ids) = error else { return false }
                return ids == ["002-readings"] && "\(error)".contains("newer version")
            }
        }
    }

    @Test("a failing migration is rolled back and leaves the earlier ones applied")
    func failingMigration() async throws {
        try await withPool { pool, _ in
            let broken = (id: "003-broken", sql: "CREATE TABLE half (x); INSERT INTO nowhere VALUES (1)")
            await #expect { try await pool.migrate(Migrator([Self.v1, Self.v2, broken])) } throws: { error in
                guard case MigrationError.failed(let id, let underlying) = error else { return false }
                return id == "003-broken" && underlying.message.contains("no such table")
            }
            let (applied, half): ([String], Int?) = try await pool.read { db in
                (try Migrator([]).appliedIDs(db),
                 try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'half'"))
            }
            #expect(applied == ["001-meters", "002-readings"])
            #expect(half == 0)
            // Fixed in a later binary: the migration applies on the next start.
            let fixed = (id: "003-broken", sql: "CREATE TABLE half (x)")
            #expect(try await pool.migrate(Migrator([Self.v1, Self.v2, fixed])) == ["003-broken"])
        }
    }

    @Test("a migration leaving foreign key violations is rolled back")
    func foreignKeyCheck() async throws {
        try await withPool { pool, _ in
            let orphan = (id: "003-orphan", sql: "INSERT INTO reading (meter, value) VALUES (99, 1)")
            await #expect { try await pool.migrate(Migrator([Self.v1, Self.v2, orphan])) } throws: { error in
                guard case MigrationError.foreignKeyViolations(let id, let violations) = error else { return false }
                return id == "003-orphan" && violations.count == 1
            }
            let orphans: Int? = try await pool.read { try $0.scalar("SELECT count(*) FROM reading") }
            #expect(orphans == 0)
        }
    }
}
