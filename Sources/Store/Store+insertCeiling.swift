internal import Glibc
internal import Metering
internal import SQLite

extension Store {
    /// The raw insert ceiling of the readings table, for the ingest benchmark: `rows` readings of
    /// `meters` meters inserted in time order straight into `reading_log`, `batch` rows a
    /// transaction, with the row shape ingest writes. Run on a scratch store.
    public func measureInsertCeiling(rows: Int, meters: Int, batch: Int) async throws -> (rowsPerSecond: Double, bytesPerRow: Double) {
        var built: [[UInt8]] = []
        for i in 0..<64 {
            var v = RegisterValues()
            v[.volumeM3] = Double(123_456 + i * 17) / 1000
            v[.targetVolumeM3] = Double(120_000 + i) / 1000
            v[.flowTemperatureC] = Double(8 + i % 5)
            v[.externalTemperatureC] = Double(3 + i % 7)
            if i % 2 == 0 {
                v[.heatEnergyKWh] = Double(45_678 + i)
                v[.powerKW] = Double(i) / 10
                v[.flowM3h] = Double(i * 3) / 1000
                v[.returnTemperatureC] = Double(350 + i) / 10
                v[.hourCounterH] = Double(30_000 + i)
            }
            built.append(ReadingCodec.encode(.init(values: v, infoBits: 0)))
        }
        let samples = built
        let start = ContinuousClock.now
        var written = 0
        var time: Int64 = 1_790_000_000
        while written < rows {
            let n = min(batch, rows - written)
            let first = written
            let t0 = time
            try await pool.write { conn in
                let insert = try conn.cachedStatement("INSERT INTO reading_log (meter_id, time, source, receptions, data) VALUES (?, ?, 0, 1, ?)")
                for i in first..<(first + n) {
                    try insert.bind(Int64(i % meters + 1), at: 1)
                    try insert.bind(t0 + Int64((i - first) / meters), at: 2)
                    try insert.bind(samples[i % samples.count], at: 3)
                    _ = try insert.step()
                    insert.reset()
                }
            }
            written += n
            time += Int64(max(1, n / meters))
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        try await pool.checkpoint(.truncate)
        let size = Double(Self.fileSize(path))
        return (Double(rows) / seconds, size / Double(rows))
    }

    static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }
}
