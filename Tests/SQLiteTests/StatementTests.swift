import FoundationEssentials
import Testing
import SQLite

@Suite("Statement binding and columns")
struct StatementTests {
    @Test("every bindable type round-trips, including edge values")
    func roundTrip() async throws {
        try await withConnection { db in
            try db.execute("CREATE TABLE v (i INTEGER, r REAL, t TEXT, b BLOB)")
            let insert = "INSERT INTO v (i, r, t, b) VALUES (?, ?, ?, ?)"
            let texts = ["", "plain", "æøå ÆØÅ – ✓ 📟 日本", "nul\u{0}inside"]
            for text in texts { try db.execute(insert, [1, 0.5, text, [UInt8]()]) }
            try db.execute(insert, [Int64.min, -Double.greatestFiniteMagnitude, nil, [0, 0, 255, 0] as [UInt8]])
            try db.execute(insert, [Int64.max, 1e-300, "x", nil])

            var rows: [(Int64, Double, String?, [UInt8]?)] = []
            try db.query("SELECT i, r, t, b FROM v ORDER BY rowid") { row in
                rows.append((row.int64(0), row.double(1), row[2], row[3]))
            }
            #expect(rows.map(\.2) == texts + [nil, "x"])
            #expect(rows[0].3 == [], "an empty blob is stored as a zero-length blob, not NULL")
            #expect(rows[3].2?.utf8.count == 10, "embedded NUL kept")
            #expect(rows[4].0 == Int64.min && rows[4].1 == -Double.greatestFiniteMagnitude)
            #expect(rows[4].3 == [0, 0, 255, 0])
            #expect(rows[5].0 == Int64.max && rows[5].1 == 1e-300 && rows[5].3 == nil)
            #expect(try db.scalar("SELECT typeof(t) FROM v WHERE rowid = 1") == "text")
            #expect(try db.scalar("SELECT typeof(b) FROM v WHERE rowid = 1") == "blob")
            #expect(try db.scalar("SELECT typeof(t) FROM v WHERE rowid = 5") == "null")
        }
    }

    @Test("Bool, Int, Date (unix milliseconds) and Optional")
    func typedValues() async throws {
        try await withConnection { db in
            try db.execute("CREATE TABLE v (flag INTEGER, n INTEGER, at INTEGER, maybe INTEGER)")
            let date = Date(timeIntervalSince1970: 1_700_000_000.123)
            let none: Int? = nil
            try db.execute("INSERT INTO v VALUES (?, ?, ?, ?)", [true, Int.max, date, none])
            try db.query("SELECT flag, n, at, maybe FROM v") { row in
                #expect(row.bool(0) == true)
                #expect(row.int(1) == Int.max)
                #expect(row.int64(2) == 1_700_000_000_123)
                #expect(row.statement.date(2).timeIntervalSince1970 == 1_700_000_000.123)
                #expect(row.isNull(3) && row.int(3) == 0)
                let maybe: Int? = row[3]
                #expect(maybe == nil)
            }
        }
    }

    @Test("named parameters with and without prefix; misuse is an error")
    func namedParameters() async throws {
        try await withConnection { db in
            try db.execute("CREATE TABLE v (a INTEGER, b TEXT)")
            try db.execute("INSERT INTO v VALUES (:a, @b)", named: ["a": 7, "@b": "seven"])
            #expect(try db.scalar("SELECT b FROM v WHERE a = 7") == "seven")
            #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO v VALUES (:a, :b)", named: ["c": 1]) }
            #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO v VALUES (?, ?)", [1]) }
            #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO v VALUES (?, ?)", [1, 2, 3]) }
            #expect(throws: SQLiteError.self) { try db.prepare("SELEC 1") }
        }
    }

    @Test("cached statements are reused; a nested query with the same SQL gets its own")
    func statementCache() async throws {
        try await withConnection { db in
            let first = try db.cachedStatement("SELECT 1")
            let second = try db.cachedStatement("SELECT 1")
            #expect(first === second)
            #expect(db.cachedStatementCount == 1)

            try db.execute("CREATE TABLE n (x INTEGER)")
            for x in 1...3 { try db.execute("INSERT INTO n VALUES (?)", [x]) }
            var pairs = 0
            let sql = "SELECT x FROM n WHERE x >= ?"
            try db.query(sql, [1]) { outer in
                let x = outer.int(0)
                try db.query(sql, [x]) { _ in pairs += 1 }
            }
            #expect(pairs == 3 + 2 + 1)
        }
    }

    @Test("statement step, reset and clearBindings")
    func manualStepping() async throws {
        try await withConnection { db in
            let statement = try db.prepare("SELECT ?1 + 1")
            try statement.bind(41, at: 1)
            #expect(try statement.step())
            #expect(statement.int(0) == 42)
            #expect(try statement.step() == false)
            statement.reset()
            statement.clearBindings()
            #expect(try statement.step())
            #expect(statement.isNull(0))
            #expect(statement.columnCount == 1 && statement.parameterCount == 1)
        }
    }

    @Test("scripts run every statement; lastInsertRowID and changes")
    func scriptsAndCounters() async throws {
        try await withConnection { db in
            try db.execute("""
                CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);
                INSERT INTO a (v) VALUES ('x'); -- a comment
                INSERT INTO a (v) VALUES ('y');
                """)
            #expect(db.lastInsertRowID == 2)
            #expect(try db.execute("UPDATE a SET v = 'z'", []) == 2)
            #expect(db.changes == 2)
        }
    }
}
