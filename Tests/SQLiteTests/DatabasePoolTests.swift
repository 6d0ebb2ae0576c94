import Glibc
import Synchronization
import Testing
import SQLite

@Suite("DatabasePool")
struct DatabasePoolTests {
    static let countToBillion = """
        WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000)
        SELECT count(*) FROM c
        """

    @Test("readers see the old snapshot and are not blocked by a long write")
    func readersNotBlocked() async throws {
        try await withPool { pool, _ in
            try await pool.write { try $0.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)") }
            let writing = Box(false)
            let readsDone = Box(false)
            let released = Box(false)
            // The write holds its lock until the reads are done (ordering, not a stopwatch: a
            // loaded machine only makes it wait longer). Reads blocked by it would find it
            // released, after its 30-second cap.
            let writer = Task {
                try await pool.write { db in
                    try db.execute("INSERT INTO t VALUES (2)", [])
                    writing.atomic.store(true, ordering: .releasing)
                    var waited = 0
                    while !readsDone.atomic.load(ordering: .acquiring) && waited < 30_000 {
                        usleep(1_000)
                        waited += 1
                    }
                    released.atomic.store(true, ordering: .releasing)
                }
            }
            while !writing.atomic.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(2)) }
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await pool.read { try $0.scalar("SELECT count(*) FROM t") ?? -1 } }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let writeStillHeld = !released.atomic.load(ordering: .acquiring)
            readsDone.atomic.store(true, ordering: .releasing)
            #expect(counts == Array(repeating: 1, count: 8), "uncommitted row invisible")
            #expect(writeStillHeld, "the reads waited for the write to end")
            try await writer.value
            #expect(try await pool.read { try $0.scalar("SELECT count(*) FROM t") } == 2)
        }
    }

    @Test("a read transaction keeps one snapshot across statements")
    func snapshotIsolation() async throws {
        try await withPool { pool, _ in
            try await pool.write { try $0.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)") }
            let firstReadDone = Box(false)
            let writeDone = Box(false)
            let reader = Task {
                try await pool.read { db -> [Int] in
                    let before: Int = try db.scalar("SELECT count(*) FROM t") ?? -1
                    firstReadDone.atomic.store(true, ordering: .releasing)
                    while !writeDone.atomic.load(ordering: .acquiring) { usleep(1_000) }
                    let after: Int = try db.scalar("SELECT count(*) FROM t") ?? -1
                    return [before, after]
                }
            }
            while !firstReadDone.atomic.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(2)) }
            try await pool.write { try $0.execute("INSERT INTO t VALUES (2)", []) }
            writeDone.atomic.store(true, ordering: .releasing)
            #expect(try await reader.value == [1, 1])
        }
    }

    @Test("the writer serializes concurrent writes")
    func writerSerializes() async throws {
        try await withPool { pool, _ in
            try await pool.write { try $0.execute("CREATE TABLE c (n INTEGER); INSERT INTO c VALUES (0)") }
            let inside = Box(0)
            let overlap = Box(false)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await pool.write { db in
                            if inside.atomic.add(1, ordering: .relaxed).newValue > 1 { overlap.atomic.store(true, ordering: .relaxed) }
                            let n: Int = try db.scalar("SELECT n FROM c") ?? -1
                            try db.execute("UPDATE c SET n = ?", [n + 1])
                            inside.atomic.subtract(1, ordering: .relaxed)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let overlapped = overlap.atomic.load(ordering: .relaxed)
            #expect(!overlapped)
            #expect(try await pool.read { try $0.scalar("SELECT n FROM c") } == 50)
        }
    }

    @Test("cancelling the awaiting task interrupts a long query at once", arguments: [false, true])
    func cancellation(onWriter: Bool) async throws {
        try await withPool { pool, _ in
            let started = Box(false)
            let query = Task {
                let body: @Sendable (Connection) throws -> Int = { db in
                    started.atomic.store(true, ordering: .releasing)
                    return try db.scalar(Self.countToBillion) ?? -1
                }
                return onWriter ? try await pool.write(body) : try await pool.read(body)
            }
            while !started.atomic.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(2)) }
            try await Task.sleep(for: .milliseconds(50))
            let clock = ContinuousClock()
            let start = clock.now
            query.cancel()
            await #expect(throws: CancellationError.self) { try await query.value }
            #expect(clock.now - start < .seconds(5), "a cancelled query ran on for \(clock.now - start)")
            // The connection is usable afterwards, and a late cancel does not leak into new work.
            #expect(try await pool.read { try $0.scalar("SELECT 7") } == 7)
            #expect(try await pool.write { try $0.scalar("SELECT 8") } == 8)
        }
    }

    @Test("a task cancelled before its job starts never runs it")
    func cancelledBeforeStart() async throws {
        try await withPool(readers: 1) { pool, _ in
            let ran = Box(false)
            let task = Task {
                try await Task.sleep(for: .milliseconds(20))
                return try await pool.read { _ in ran.atomic.store(true, ordering: .relaxed) }
            }
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            let didRun = ran.atomic.load(ordering: .relaxed)
            #expect(!didRun)
        }
    }

    @Test("reads wait for a free reader when all are busy")
    func readersQueue() async throws {
        try await withPool(readers: 2) { pool, _ in
            let active = Box(0)
            let peak = Box(0)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        try await pool.read { _ in
                            let now = active.atomic.add(1, ordering: .relaxed).newValue
                            _ = peak.atomic.max(now, ordering: .relaxed)
                            usleep(10_000)
                            active.atomic.subtract(1, ordering: .relaxed)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let highest = peak.atomic.load(ordering: .relaxed)
            #expect(highest == 2)
        }
    }

    @Test("blocking database work never occupies Swift's cooperative threads")
    func offTheCooperativePool() async throws {
        try await withPool(readers: 4) { pool, _ in
            let busy = Box(0)
            let finished = Box(0)
            let blockers = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<5 {
                        group.addTask {
                            let body: @Sendable (Connection) throws -> Void = { _ in
                                busy.atomic.add(1, ordering: .relaxed)
                                usleep(1_500_000)
                                finished.atomic.add(1, ordering: .relaxed)
                            }
                            if index == 0 { try await pool.write(body) } else { try await pool.read(body) }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            while busy.atomic.load(ordering: .relaxed) < 5 { try await Task.sleep(for: .milliseconds(2)) }
            // Five connection threads are blocked; more than the cooperative pool has threads.
            let sum = await withTaskGroup(of: Int.self) { group in
                for n in 1...100 { group.addTask { n } }
                return await group.reduce(0, +)
            }
            #expect(sum == 5050)
            // Ordering, not a stopwatch: the tasks ran while every blocker still held its thread.
            #expect(finished.atomic.load(ordering: .relaxed) == 0, "cooperative tasks waited for the blocked connections")
            try await blockers.value
        }
    }

    @Test("close waits for work in flight, then refuses new work")
    func closeDrains() async throws {
        try await withTemporaryDirectory { directory in
            let pool = try DatabasePool(path: directory + "/c.db")
            try await pool.write { try $0.execute("CREATE TABLE t (x)") }
            let started = Box(false)
            let slow = Task {
                try await pool.write { db in
                    started.atomic.store(true, ordering: .releasing)
                    usleep(200_000)
                    try db.execute("INSERT INTO t VALUES (1)", [])
                }
            }
            while !started.atomic.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(2)) }
            await pool.close()
            try await slow.value
            await #expect { try await pool.read { _ in 1 } } throws: { ($0 as? SQLiteError)?.code == .misuse }
            let check = try Connection(path: directory + "/c.db")
            #expect(try check.scalar("SELECT count(*) FROM t") == 1)
            check.close()
        }
    }
}
