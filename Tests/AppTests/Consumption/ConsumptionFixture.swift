import Foundation
@testable import App
import Metering
@testable import Store
import TestSupport
import SQLite

/// Metering points with meters over time, for the consumption tests: meters and points come
/// through the meter API, their stays (`installations`) and readings are written into the
/// tables directly (blocks through `BlockCodec`, recent ones into the log and its index), as
/// the points API and the compactor would leave them.
extension AccessFixture {
    /// 2026-03-01T00:00:00Z.
    static let t0: Int64 = 1_772_323_200

    struct PointMeter {
        var point: String
        var meter: String
        var meterRow: Int64
        var pointRow: Int64
    }

    /// A meter of tenant A (or `token`'s tenant) on a new metering point.
    func meterOnPoint(_ serial: String, medium: String = "heat", token: String? = nil) async throws -> PointMeter {
        let json = try createMeter(#"{"manufacturer":"KAM","serial":"\#(serial)","medium":"\#(medium)","meteringPoint":{"address":"Vej \#(serial)"}}"#,
                                   token: token)
        let meter = try require2(json["id"] as? String)
        let point = try require2((json["meteringPoint"] as? [String: Any])?["id"] as? String)
        let rows: (Int64, Int64) = try await store.pool.read { conn in
            (try conn.scalar("SELECT id FROM meters WHERE public_id = ?", [meter]) ?? 0,
             try conn.scalar("SELECT id FROM metering_points WHERE public_id = ?", [point]) ?? 0)
        }
        // Whatever the meter API recorded, the tests say exactly which stays there were.
        try await store.pool.write { conn in _ = try conn.execute("DELETE FROM installations WHERE metering_point_id = ?", [rows.1]) }
        return PointMeter(point: point, meter: meter, meterRow: rows.0, pointRow: rows.1)
    }

    /// Another meter on an existing point (the new meter of an exchange).
    func meter(_ serial: String, medium: String = "heat") async throws -> (id: String, row: Int64) {
        let json = try createMeter(#"{"manufacturer":"KAM","serial":"\#(serial)","medium":"\#(medium)"}"#)
        let id = try require2(json["id"] as? String)
        let row: Int64 = try await store.pool.read { conn in try conn.scalar("SELECT id FROM meters WHERE public_id = ?", [id]) ?? 0 }
        return (id, row)
    }

    func install(point: Int64, meter: Int64, at: Int64, removed: Int64? = nil, start: RegisterValues? = nil,
                 final: RegisterValues? = nil) async throws {
        let start = start.map { ReadingCodec.encode(ReadingCodec.Decoded(values: $0)) }
        let final = final.map { ReadingCodec.encode(ReadingCodec.Decoded(values: $0)) }
        try await store.pool.write { conn in
            _ = try conn.execute("""
                INSERT INTO installations (metering_point_id, meter_id, installed_at, removed_at, start_values, final_values)
                VALUES (?, ?, ?, ?, ?, ?)
                """, [point, meter, at, removed, start, final])
        }
    }

    /// Readings as stored blocks, cut as the compactor cuts them.
    func storeBlocks(meter: Int64, _ entries: [BlockCodec.Entry]) async throws {
        let blocks = Store.encodeBlocks(entries.sorted { $0.time < $1.time })
        try await store.pool.write { conn in
            for b in blocks {
                _ = try conn.execute("INSERT INTO reading_blocks (meter_id, first_time, last_time, count, data) VALUES (?, ?, ?, ?, ?)",
                                     [meter, b.firstTime, b.lastTime, Int64(b.count), b.bytes])
            }
        }
    }

    /// Readings still in the log (not compacted yet), with the in-memory index ingest keeps.
    func storeLogged(meter: Int64, _ entries: [BlockCodec.Entry]) async throws {
        let index = store.readingIndex
        try await store.pool.write { conn in
            for e in entries {
                _ = try conn.execute("INSERT INTO reading_log (meter_id, time, source, receptions, data) VALUES (?, ?, 0, 1, ?)",
                                     [meter, e.time, ReadingCodec.encode(e.reading)])
                index.add(meter: meter, time: e.time, row: conn.lastInsertRowID)
            }
        }
    }

    /// A reading of the given registers at `time`.
    static func reading(_ time: Int64, _ values: [(Register, Double)], infoCodes: UInt64 = 0) -> BlockCodec.Entry {
        var v = RegisterValues()
        for (register, value) in values { v[register] = value }
        return BlockCodec.Entry(time: time, source: 0, receptions: 1, reading: ReadingCodec.Decoded(values: v, infoCodes: infoCodes))
    }

    func get(_ path: String, token: String? = nil) throws -> RawClient.Response {
        try call("GET", path, token: token ?? adminA)
    }

    static func iso(_ time: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(time)))
    }
}

func require2<T>(_ value: T?, _ what: String = "value") throws -> T {
    guard let value else { throw MeterTestFailure(description: "missing \(what)") }
    return value
}
