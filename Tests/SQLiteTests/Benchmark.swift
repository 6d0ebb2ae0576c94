import Glibc
import Testing
import SQLite

/// Opt-in figures, not a timed test: `FJERN_BENCH=1 swift test -c release --filter SQLiteTests.Benchmark`.
/// Runs on /tmp (ext4 here, so fsync is real; tmpfs would make synchronous=FULL look free).
@Suite("Benchmark", .enabled(if: getenv("FJERN_BENCH") != nil), .serialized)
struct Benchmark {
    static let rows = 200_000
    static let batch = 1_000
    static let submitters = 4
    static let insert = "INSERT INTO r (meter, at, value) VALUES (?, ?, ?)"
    static let schema = "CREATE TABLE r (id INTEGER PRIMARY KEY, meter INTEGER NOT NULL, at INTEGER NOT NULL, value REAL)"

    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    func report(_ label: String, _ count: Int, _ duration: Duration) {
        let s = seconds(duration)
        let text = "[bench] \(label)"
        print(text + String(repeating: " ", count: max(1, 70 - text.count)) + "\(count) in \(Int(s * 1000)) ms = \(Int(Double(count) / s)) /s")
    }

    @Test("insert throughput, synchronous FULL vs NORMAL", arguments: [Connection.Configuration.Synchronous.full, .normal])
    func throughput(synchronous: Connection.Configuration.Synchronous) async throws {
        let mode = synchronous.rawValue
        let clock = ContinuousClock()
        try await withPool(synchronous: synchronous) { pool, _ in
            try await pool.write { try $0.execute(Self.schema) }

            // 1. One transaction, one cached statement.
            var start = clock.now
            try await pool.write { db in
                for i in 0..<Self.rows {
                    let statement = try db.cachedStatement(Self.insert)
                    try statement.bind(i % 5_000, at: 1)
                    try statement.bind(Int64(1_700_000_000_000 + i), at: 2)
                    try statement.bind(Double(i) * 0.01, at: 3)
                    try statement.step()
                }
            }
            report("\(mode): 200k rows, one transaction", Self.rows, clock.now - start)

            // 2. Group commit: 4 submitters, each sending 1,000-row batches.
            let perSubmitter = Self.rows / Self.submitters / Self.batch
            let before = pool.statistics
            start = clock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for s in 0..<Self.submitters {
                    group.addTask {
                        for b in 0..<perSubmitter {
                            try await pool.writeBatched { db in
                                let statement = try db.cachedStatement(Self.insert)
                                for i in 0..<Self.batch {
                                    try statement.bind(s * 1_000 + i, at: 1)
                                    try statement.bind(Int64(b * Self.batch + i), at: 2)
                                    try statement.bind(1.5, at: 3)
                                    try statement.step()
                                    statement.reset()
                                }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let transactions = pool.statistics.batchedTransactions - before.batchedTransactions
            report("\(mode): group commit 4x1000-row batches (\(transactions) tx)", Self.rows, clock.now - start)

            // 3. The fsync cost in isolation: one small transaction per request, no batching.
            let single = 500
            start = clock.now
            for i in 0..<single {
                try await pool.write { try $0.execute(Self.insert, [i, 0, 0.0]) }
            }
            report("\(mode): 1-row transactions, sequential", single, clock.now - start)

            // 4. The same requests from 16 concurrent callers through group commit.
            let beforeSmall = pool.statistics
            start = clock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for c in 0..<16 {
                    group.addTask {
                        for i in 0..<(single / 16 * 4) {
                            try await pool.writeBatched { try $0.execute(Self.insert, [c, i, 0.0]) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let smallTransactions = pool.statistics.batchedTransactions - beforeSmall.batchedTransactions
            report("\(mode): 1-row requests, 16 callers, group commit (\(smallTransactions) tx)", single / 16 * 4 * 16, clock.now - start)
        }
    }
}
