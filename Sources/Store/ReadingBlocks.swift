internal import Metering
internal import SQLite

/// Per-meter blocks of readings (`reading_blocks`, BlockCodec) and the compaction that fills them
/// from the log.
enum ReadingBlocks {
    /// Blocks are kept under SQLite's local payload limit for WITHOUT ROWID tables with 4 KiB
    /// pages (about 1000 bytes): bigger ones would spill into half-empty overflow pages.
    static let maxBlockBytes = 900

    static func last(meter: Int64, _ conn: Connection) throws -> BlockCodec.Entry? {
        var found: BlockCodec.Entry?
        try conn.query("SELECT first_time, data FROM reading_blocks WHERE meter_id = ? ORDER BY first_time DESC LIMIT 1", [meter]) { row in
            found = (try? BlockCodec.decode(row.blob(1), firstTime: row.int64(0)))?.last
        }
        return found
    }

    /// Readings of `meter` with from <= time < to, in time order. A block that does not decode
    /// is an error: history must never silently shrink.
    static func entries(meter: Int64, from: Int64, to: Int64, _ conn: Connection) throws -> [BlockCodec.Entry] {
        var out: [BlockCodec.Entry] = []
        var failure: (any Error)?
        try conn.query("""
            SELECT first_time, data FROM reading_blocks WHERE meter_id = ? AND last_time >= ? AND first_time < ? ORDER BY first_time
            """, [meter, from, to]) { row in
            do {
                out += try BlockCodec.decode(row.blob(1), firstTime: row.int64(0)).filter { $0.time >= from && $0.time < to }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return out
    }

    /// Moves the log rows of `meter` listed in `rows` into its blocks: merged with the blocks
    /// they overlap (late readings) or appended to the last one, re-cut to the size limit.
    static func compact(meter: Int64, rows: [Int64], _ conn: Connection) throws {
        guard !rows.isEmpty else { return }
        let fetch = try conn.cachedStatement("SELECT time, source, receptions, data FROM reading_log WHERE id = ? AND meter_id = ?")
        var fresh: [BlockCodec.Entry] = []
        for row in rows {
            try fetch.bind(row, at: 1)
            try fetch.bind(meter, at: 2)
            if try fetch.step() {
                let decoded = try ReadingCodec.decode(fetch.blob(3))
                fresh.append(.init(time: fetch.int64(0), source: UInt8(clamping: fetch.int64(1)), receptions: Int(fetch.int64(2)), reading: decoded))
            }
            fetch.reset()
        }
        guard let minTime = fresh.map(\.time).min() else { return }
        var old: [(first: Int64, entries: [BlockCodec.Entry])] = []
        try conn.query("SELECT first_time, data FROM reading_blocks WHERE meter_id = ? AND last_time >= ? ORDER BY first_time",
                       [meter, minTime]) { row in
            old.append((row.int64(0), (try? BlockCodec.decode(row.blob(1), firstTime: row.int64(0))) ?? []))
        }
        if old.isEmpty {
            try conn.query("SELECT first_time, data FROM reading_blocks WHERE meter_id = ? ORDER BY first_time DESC LIMIT 1", [meter]) { row in
                let data = row.blob(1)
                // A full block stays as it is; a new one starts.
                if data.count < maxBlockBytes * 3 / 4 {
                    old.append((row.int64(0), (try? BlockCodec.decode(data, firstTime: row.int64(0))) ?? []))
                }
            }
        }
        let merged = merge(old.flatMap(\.entries), fresh)
        let delete = try conn.cachedStatement("DELETE FROM reading_blocks WHERE meter_id = ? AND first_time = ?")
        for block in old {
            try delete.bind(meter, at: 1)
            try delete.bind(block.first, at: 2)
            _ = try delete.step()
            delete.reset()
        }
        let insert = try conn.cachedStatement("INSERT INTO reading_blocks (meter_id, first_time, last_time, count, data) VALUES (?, ?, ?, ?, ?)")
        for (chunk, bytes) in cut(merged) {
            try insert.bind(meter, at: 1)
            try insert.bind(chunk.first!.time, at: 2)
            try insert.bind(chunk.last!.time, at: 3)
            try insert.bind(Int64(chunk.count), at: 4)
            try insert.bind(bytes, at: 5)
            _ = try insert.step()
            insert.reset()
        }
        let remove = try conn.cachedStatement("DELETE FROM reading_log WHERE id = ? AND meter_id = ?")
        for row in rows {
            try remove.bind(row, at: 1)
            try remove.bind(meter, at: 2)
            _ = try remove.step()
            remove.reset()
        }
    }

    /// Both lists in time order, one reading per time: readings of the same second are one
    /// (values joined, receptions added), as the writer does for the log.
    static func merge(_ a: [BlockCodec.Entry], _ b: [BlockCodec.Entry]) -> [BlockCodec.Entry] {
        let all = (a + b).sorted { $0.time < $1.time }
        var out: [BlockCodec.Entry] = []
        out.reserveCapacity(all.count)
        for e in all {
            if var last = out.last, last.time == e.time {
                last.reading = last.reading.merging(e.reading)
                last.receptions += e.receptions
                out[out.count - 1] = last
            } else {
                out.append(e)
            }
        }
        return out
    }

    /// Consecutive chunks whose encoding stays under `maxBlockBytes`, with their bytes: cut where
    /// one pass over the series passes `cutBytes` (a block's first reading is written in full,
    /// not as a delta, hence the margin), then each chunk encoded once; a chunk that still
    /// overflows (readings that barely compress) is halved.
    static let cutBytes = 700

    static func cut(_ entries: [BlockCodec.Entry]) -> [(entries: ArraySlice<BlockCodec.Entry>, bytes: [UInt8])] {
        guard let first = entries.first else { return [] }
        var ends: [Int] = []
        let whole = BlockCodec.encode(entries, firstTime: first.time, ends: &ends)
        if whole.count <= maxBlockBytes { return [(entries[...], whole)] }
        var out: [(ArraySlice<BlockCodec.Entry>, [UInt8])] = []
        var start = 0, startByte = 0
        for i in entries.indices where ends[i] - startByte >= cutBytes || i == entries.count - 1 {
            out += chunk(entries[start...i])
            start = i + 1
            startByte = ends[i]
        }
        return out
    }

    private static func chunk(_ slice: ArraySlice<BlockCodec.Entry>) -> [(ArraySlice<BlockCodec.Entry>, [UInt8])] {
        let bytes = BlockCodec.encode(Array(slice), firstTime: slice.first!.time)
        if bytes.count <= maxBlockBytes || slice.count == 1 { return [(slice, bytes)] }
        let middle = slice.startIndex + slice.count / 2
        return chunk(slice[..<middle]) + chunk(slice[middle...])
    }
}
