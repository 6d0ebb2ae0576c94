import Synchronization
import Testing
import SQLite

@Suite("Backup and durability")
struct BackupTests {
    @Test("an online backup taken while writing passes integrity_check and holds a consistent prefix")
    func backupWhileWriting() async throws {
        try await withPool(synchronous: .normal) { pool, path in
            try await pool.write { db in
                try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB, total INTEGER)")
                for id in 1...2_000 {
                    try db.execute("INSERT INTO t VALUES (?, zeroblob(200), ?)", [id, id * (id + 1) / 2])
                }
            }
            let stop = Box(false)
            let writer = Task {
                var id = 2_000
                while !stop.atomic.load(ordering: .relaxed) {
                    id += 1
                    let next = id
                    try await pool.write { db in
                        try db.execute("INSERT INTO t VALUES (?, zeroblob(200), ?)", [next, next * (next + 1) / 2])
                    }
                }
                return id
            }
            let backupPath = path + ".backup"
            try await Task.sleep(for: .milliseconds(20))
            try await pool.backup(to: backupPath, pagesPerStep: 8)
            stop.atomic.store(true, ordering: .relaxed)
            let lastWritten = try await writer.value

            let copy = try Connection(path: backupPath, configuration: .reader)
            defer { copy.close() }
            #expect(try copy.scalar("PRAGMA integrity_check") == "ok")
            let count: Int = try copy.scalar("SELECT count(*) FROM t") ?? -1
            let maxID: Int = try copy.scalar("SELECT max(id) FROM t") ?? -1
            let sum: Int = try copy.scalar("SELECT sum(id) FROM t") ?? -1
            #expect(count >= 2_000 && count == maxID, "rows 1...n with no gaps")
            #expect(sum == maxID * (maxID + 1) / 2)
            #expect(maxID <= lastWritten)
            #expect(fileSize(backupPath + ".partial") == -1, "no partial file left behind")
        }
    }

    @Test("committed rows are visible to an independent connection without a clean close")
    func committedMeansVisible() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/d.db"
            let pool = try DatabasePool(path: path)
            try await pool.write { try $0.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)") }
            var acknowledged: [Int] = []
            for id in 1...100 {
                try await pool.writeBatched { try $0.execute("INSERT INTO t VALUES (?)", [id]) }
                acknowledged.append(id)
            }
            // No close: an independent connection (a new process would see the same files) must
            // find every acknowledged row in the database + WAL.
            #expect(fileSize(path + "-wal") > 0, "rows are still in the WAL")
            let other = try Connection(path: path, configuration: .reader)
            var seen: [Int] = []
            try other.query("SELECT id FROM t ORDER BY id") { seen.append($0.int(0)) }
            #expect(seen == acknowledged)
            other.close()

            // A TRUNCATE checkpoint moves everything into the main file and empties the WAL.
            let result = try await pool.checkpoint(.truncate)
            #expect(!result.busy)
            #expect(fileSize(path + "-wal") == 0)
            let after = try Connection(path: path, configuration: .reader)
            #expect(try after.scalar("SELECT count(*) FROM t") == 100)
            after.close()
            await pool.close()
        }
    }
}
