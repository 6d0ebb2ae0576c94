import Glibc
import Synchronization
import Testing
import SQLite

@Suite("Group commit")
struct WriteBatcherTests {
    struct Rejected: Error, Equatable { let n: Int }

    @Test("concurrent submitters share transactions; each gets its own result or error")
    func mergesAndIsolates() async throws {
        try await withPool { pool, _ in
            try await pool.write { try $0.execute("CREATE TABLE t (n INTEGER PRIMARY KEY)") }
            // Hold the writer so every submission queues up behind it: one batch, deterministically.
            let holding = Box(false)
            let blocker = Task {
                try await pool.write { _ in
                    holding.atomic.store(true, ordering: .releasing)
                    usleep(200_000)
                }
            }
            while !holding.atomic.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(2)) }

            let submitters = 40
            let outcomes = await withTaskGroup(of: (Int, Result<Int64, any Error>).self) { group in
                for n in 0..<submitters {
                    group.addTask {
                        let result = await outcome { () async throws -> Int64 in
                            try await pool.writeBatched { db in
                                try db.execute("INSERT INTO t VALUES (?)", [n])
                                if n % 10 == 3 { throw Rejected(n: n) }           // the caller's own error
                                if n % 10 == 7 { try db.execute("INSERT INTO t VALUES (0)", []) } // UNIQUE
                                return db.lastInsertRowID
                            }
                        }
                        return (n, result)
                    }
                }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            try await blocker.value

            for n in 0..<submitters {
                switch (n % 10, outcomes[n]!) {
                case (3, .failure(let error)): #expect(error as? Rejected == Rejected(n: n))
                case (7, .failure(let error)): #expect((error as? SQLiteError)?.isUniqueViolation == true, "\(error)")
                case (3, _), (7, _): Issue.record("submitter \(n) should have failed")
                case (_, .success(let rowID)): #expect(rowID == Int64(n))
                case (_, .failure(let error)): Issue.record("submitter \(n) failed: \(error)")
                }
            }
            let stored: [Int] = try await pool.read { db in
                var rows: [Int] = []
                try db.query("SELECT n FROM t ORDER BY n") { rows.append($0.int(0)) }
                return rows
            }
            #expect(stored == (0..<submitters).filter { $0 % 10 != 3 && $0 % 10 != 7 })
            let statistics = pool.statistics
            #expect(statistics.batchedRequests == submitters)
            #expect(statistics.batchedTransactions < submitters)
            #expect(statistics.batchedTransactions <= 2, "got \(statistics.batchedTransactions) transactions")
        }
    }

    @Test("an error that aborts the whole transaction fails the batch-mates that were rolled back with it")
    func abortingItem() async throws {
        try await withPool { pool, _ in
            try await pool.write { db in
                try db.execute("""
                    CREATE TABLE t (n INTEGER);
                    CREATE TABLE boom (x);
                    CREATE TRIGGER boom_abort BEFORE INSERT ON boom BEGIN SELECT RAISE(ROLLBACK, 'whole batch'); END;
                    """)
            }
            let holding = Box(false)
            let blocker = Task {
                try await pool.write { _ in
                    holding.atomic.store(true, ordering: .releasing)
                    usleep(100_000)
                }
            }
            while !holding.atomic.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(2)) }
            // RAISE(ROLLBACK) ends the whole transaction, not just the savepoint.
            let first = Task { try await pool.writeBatched { try $0.execute("INSERT INTO t VALUES (1)", []) } }
            try await Task.sleep(for: .milliseconds(10))
            let second = Task { try await pool.writeBatched { try $0.execute("INSERT INTO boom VALUES (1)", []) } }
            try await Task.sleep(for: .milliseconds(10))
            let third = Task { try await pool.writeBatched { try $0.execute("INSERT INTO t VALUES (3)", []) } }
            let results = [await first.result, await second.result, await third.result]
            try await blocker.value
            let rows: [Int] = try await pool.read { db in
                var rows: [Int] = []
                try db.query("SELECT n FROM t") { rows.append($0.int(0)) }
                return rows
            }
            // Whatever reported success is in the database, and nothing else is.
            #expect(rows == [1, 3].enumerated().filter { (try? results[$0.offset * 2].get()) != nil }.map(\.element))
            #expect((try? results[1].get()) == nil)
            #expect((try? results[2].get()) != nil, "a later request starts a fresh transaction")
        }
    }
}

func outcome<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
