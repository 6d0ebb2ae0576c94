internal import SQLite
internal import Synchronization

/// The reading log's index by meter and time, in memory: an SQL index would cost the log
/// most of its insert speed (97k against 700k rows/s measured), and the log only holds what the
/// compactor has not moved into blocks yet. Rebuilt from the table at start-up and after a
/// failed write. Entries may briefly name rows a rolled-back or compacted transaction removed;
/// readers therefore fetch by row id *and* meter, and skip what is not there.
final class ReadingLogIndex: Sendable {
    struct Entry: Sendable, Equatable {
        var time: Int64
        var row: Int64
    }

    private struct State {
        var byMeter: [Int64: [Entry]] = [:]
        var count = 0
        var maxRow: Int64 = 0
    }

    private let state = Mutex(State())

    var count: Int { state.withLock { $0.count } }
    var maxRow: Int64 { state.withLock { $0.maxRow } }

    func rebuild(_ conn: Connection) throws {
        var map: [Int64: [Entry]] = [:]
        var count = 0
        var maxRow: Int64 = 0
        try conn.query("SELECT id, meter_id, time FROM reading_log ORDER BY id") { row in
            let entry = Entry(time: row.int64(2), row: row.int64(0))
            map[row.int64(1), default: []].append(entry)
            count += 1
            maxRow = entry.row
        }
        for key in map.keys { map[key]!.sort { ($0.time, $0.row) < ($1.time, $1.row) } }
        state.withLock { $0 = State(byMeter: map, count: count, maxRow: maxRow) }
    }

    func add(meter: Int64, time: Int64, row: Int64) {
        state.withLock { state in
            state.count += 1
            state.maxRow = max(state.maxRow, row)
            let entry = Entry(time: time, row: row)
            // In place (one hash lookup, no copy of the list).
            state.byMeter[meter, default: []].insertInTimeOrder(entry)
        }
    }

    /// Entries of `meter` with from <= time < to, in time order.
    func entries(meter: Int64, from: Int64, to: Int64) -> [Entry] {
        state.withLock { state in
            guard let list = state.byMeter[meter] else { return [] }
            return list.filter { $0.time >= from && $0.time < to }
        }
    }

    func latest(meter: Int64) -> Entry? { state.withLock { $0.byMeter[meter]?.last } }

    /// The meters with entries at or below `row`, for the compactor.
    func meters(throughRow row: Int64) -> [Int64] {
        state.withLock { state in state.byMeter.compactMap { key, list in list.contains { $0.row <= row } ? key : nil } }
    }

    /// Forgets entries at or below `row` of these meters: the compactor moved them into blocks.
    func remove(meters: [Int64], throughRow row: Int64) {
        state.withLock { state in
            for meter in meters {
                guard var list = state.byMeter[meter] else { continue }
                let before = list.count
                list.removeAll { $0.row <= row }
                state.count -= before - list.count
                state.byMeter[meter] = list.isEmpty ? nil : list
            }
        }
    }
}

extension Array where Element == ReadingLogIndex.Entry {
    /// Appends, or for a late reading (a drive-by upload, a unit that was offline) inserts where
    /// its time belongs.
    mutating func insertInTimeOrder(_ entry: Element) {
        if let last, last.time > entry.time {
            insert(entry, at: firstIndex { $0.time > entry.time } ?? endIndex)
        } else {
            append(entry)
        }
    }
}
