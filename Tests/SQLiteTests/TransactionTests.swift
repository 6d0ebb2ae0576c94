import Testing
import SQLite

@Suite("Transactions")
struct TransactionTests {
    struct Boom: Error {}

    func count(_ db: Connection) throws -> Int { try db.scalar("SELECT count(*) FROM t") ?? -1 }

    @Test("commit on return, rollback on throw")
    func commitAndRollback() async throws {
        try await withConnection { db in
            try db.execute("CREATE TABLE t (x INTEGER)")
            let value = try db.transaction(.immediate) {
                try db.execute("INSERT INTO t VALUES (1)", [])
                return 42
            }
            #expect(value == 42 && !db.isInTransaction)
            #expect(throws: Boom.self) {
                try db.transaction(.immediate) {
                    try db.execute("INSERT INTO t VALUES (2)", [])
                    throw Boom()
                }
            }
            #expect(try count(db) == 1 && !db.isInTransaction)
        }
    }

    @Test("nested transactions become savepoints")
    func nested() async throws {
        try await withConnection { db in
            try db.execute("CREATE TABLE t (x INTEGER)")
            try db.transaction(.immediate) {
                try db.execute("INSERT INTO t VALUES (1)", [])
                // An inner failure undoes only the inner work.
                #expect(throws: Boom.self) {
                    try db.transaction {
                        try db.execute("INSERT INTO t VALUES (2)", [])
                        try db.savepoint {
                            try db.execute("INSERT INTO t VALUES (3)", [])
                        }
                        throw Boom()
                    }
                }
                try db.transaction { try db.execute("INSERT INTO t VALUES (4)", []) }
                #expect(db.isInTransaction)
            }
            var values: [Int] = []
            try db.query("SELECT x FROM t ORDER BY x") { values.append($0.int(0)) }
            #expect(values == [1, 4])
        }
    }

    @Test("an outer rollback undoes released savepoints too")
    func outerRollback() async throws {
        try await withConnection { db in
            try db.execute("CREATE TABLE t (x INTEGER)")
            #expect(throws: Boom.self) {
                try db.transaction(.immediate) {
                    try db.savepoint { try db.execute("INSERT INTO t VALUES (1)", []) }
                    throw Boom()
                }
            }
            #expect(try count(db) == 0)
        }
    }

    @Test("a failing COMMIT (deferred foreign key) rolls back and throws")
    func failingCommit() async throws {
        try await withConnection { db in
            try db.execute("""
                CREATE TABLE p (id INTEGER PRIMARY KEY);
                CREATE TABLE c (p INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED);
                """)
            #expect { try db.transaction(.immediate) { try db.execute("INSERT INTO c VALUES (5)", []) } }
                throws: { ($0 as? SQLiteError)?.code.primary == .constraint }
            #expect(!db.isInTransaction)
            #expect(try db.scalar("SELECT count(*) FROM c") == 0)
        }
    }
}
