import FoundationEssentials
import Glibc
import Testing
import SQLite

@Suite("Errors")
struct ErrorTests {
    static let schema = """
        CREATE TABLE parent (id INTEGER PRIMARY KEY);
        CREATE TABLE child (
            id INTEGER PRIMARY KEY,
            parent INTEGER NOT NULL REFERENCES parent(id),
            code TEXT UNIQUE,
            qty INTEGER CHECK (qty >= 0)
        );
        INSERT INTO parent VALUES (1);
        INSERT INTO child VALUES (1, 1, 'a', 0);
        """

    func code(_ db: Connection, _ sql: String) -> ResultCode? {
        do {
            try db.execute(sql)
            return nil
        } catch {
            return error.code
        }
    }

    @Test("constraint errors carry their extended code")
    func constraintCodes() async throws {
        try await withConnection { db in
            try db.execute(Self.schema)
            #expect(code(db, "INSERT INTO child VALUES (2, 1, 'a', 0)") == .constraintUnique)
            #expect(code(db, "INSERT INTO child VALUES (1, 1, 'b', 0)") == .constraintPrimaryKey)
            #expect(code(db, "INSERT INTO child VALUES (2, 9, 'b', 0)") == .constraintForeignKey)
            #expect(code(db, "INSERT INTO child VALUES (2, NULL, 'b', 0)") == .constraintNotNull)
            #expect(code(db, "INSERT INTO child VALUES (2, 1, 'b', -1)") == .constraintCheck)
        }
    }

    @Test("pattern matching, helpers and context")
    func matching() async throws {
        try await withConnection { db in
            try db.execute(Self.schema)
            let sql = "INSERT INTO child VALUES (?, 1, 'a', 0)"
            do {
                try db.execute(sql, [2])
                Issue.record("expected a UNIQUE violation")
            } catch SQLiteError.constraintUnique {
                // The catch pattern is the feature under test.
            }
            do {
                try db.execute(sql, [2])
            } catch let error as SQLiteError where error.code == .constraintUnique {
                #expect(error.isUniqueViolation && error.isConstraintViolation)
                #expect(error.sql == sql)
                #expect(error.message.contains("UNIQUE constraint failed: child.code"))
                #expect(ResultCode.constraint ~= error, "a primary code matches its family")
                #expect(!(ResultCode.constraintCheck ~= error))
            }
            do {
                try db.execute("INSERT INTO child VALUES (2, 9, 'x', 0)")
            } catch let error as SQLiteError {
                #expect(error.isConstraintViolation && !error.isUniqueViolation)
            }
        }
    }

    @Test("open errors are clear: missing directory, directory, not a database, read-only")
    func openErrors() async throws {
        try await withTemporaryDirectory { directory in
            let missing = directory + "/no/such/dir/x.db"
            #expect { try Connection(path: missing) } throws: { error in
                guard let error = error as? SQLiteError else { return false }
                return error.code.primary == .cantOpen && error.message.contains(missing)
            }
            #expect { try Connection(path: directory) } throws: { error in
                (error as? SQLiteError)?.code.primary == .cantOpen
            }
            let garbage = directory + "/garbage.db"
            let fd = open(garbage, O_CREAT | O_WRONLY, 0o600)
            let text = Array(repeating: UInt8(ascii: "x"), count: 4096)
            _ = write(fd, text, text.count)
            close(fd)
            #expect { try Connection(path: garbage) } throws: { error in
                (error as? SQLiteError)?.code == .notADatabase
            }
            #expect { try DatabasePool(path: garbage) } throws: { error in
                (error as? SQLiteError)?.code == .notADatabase
            }
            let good = directory + "/good.db"
            try Connection(path: good).execute("CREATE TABLE t (x)")
            let reader = try Connection(path: good, configuration: .reader)
            #expect(code(reader, "INSERT INTO t VALUES (1)")?.primary == .readOnly)
            reader.close()
        }
    }
}
