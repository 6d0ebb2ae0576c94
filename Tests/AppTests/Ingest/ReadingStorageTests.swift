import Foundation
import Testing
@testable import App
import Metering
import SQLite
@testable import Store
import TestSupport

/// Readings move from the log into per-meter blocks without changing what the API shows.
@Suite("Reading storage", .serialized, .blockingIO)
struct ReadingStorageTests {
    static let key: [UInt8] = Array(0..<16)

    func hour(_ h: Int) -> String {
        let date = Date(timeIntervalSince1970: 1_795_000_000 + Double(h) * 3600)
        return ISO8601DateFormatter().string(from: date)
    }

    func compactAll(_ store: Store) async throws {
        while try await store.compactReadings(throughRow: store.lastLoggedRow, meterLimit: 7) > 0 {}
        try await store.releaseFreePages()
    }

    @Test func compactionKeepsEveryReadingAndItsOrderAndPagesAcrossBothTiers() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "24682468", key: Self.key)
        for h in stride(from: 0, to: 60, by: 2) {
            let t = try IngestFixture.multical21(id: 24_682_468, key: Self.key, litres: UInt32(1000 + h * 37), info: h == 10 ? 0x0008 : 0,
                                                 access: UInt8(h))
            _ = try await f.post("north", [t], receivedAt: hour(h))
            if h % 4 == 0 { _ = try await f.post("south", [t], receivedAt: hour(h)) }
        }
        let before = try await f.readings(meter, token: f.adminA)
        #expect(before.count == 30)
        try await compactAll(f.store)
        #expect(f.store.loggedReadings == 0)
        let blocks: Int = try await f.store.pool.read { try $0.scalar("SELECT count(*) FROM reading_blocks") ?? 0 }
        #expect(blocks >= 1)
        let after = try await f.readings(meter, token: f.adminA)
        #expect(NSArray(array: after).isEqual(to: before))

        // Late readings (odd hours) land in the log and interleave with the blocks in time order.
        for h in [1, 31, 59] {
            _ = try await f.post("north", [try IngestFixture.multical21(id: 24_682_468, key: Self.key, litres: UInt32(5000 + h), access: UInt8(100 + h))],
                           receivedAt: hour(h))
        }
        let mixed = try await f.readings(meter, token: f.adminA)
        #expect(mixed.count == 33)
        let times = mixed.compactMap { $0["time"] as? String }
        #expect(times == times.sorted())
        // Pages of 7 walk both tiers without loss or repetition.
        var paged: [String] = []
        var cursor: String?
        repeat {
            let path = "/v1/meters/\(meter.uuidString.lowercased())/readings?limit=7" + (cursor.map { "&cursor=\($0)" } ?? "")
            let page = try await f.call("GET", path, token: f.adminA).json
            paged += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["time"] as? String }
            cursor = page["nextCursor"] as? String
        } while cursor != nil
        #expect(paged == times)
        try await compactAll(f.store)
        #expect(NSArray(array: try await f.readings(meter, token: f.adminA)).isEqual(to: mixed))
        // A duplicate of a compacted reading is still recognised.
        let again = try IngestFixture.multical21(id: 24_682_468, key: Self.key, litres: UInt32(5000 + 59), access: 159)
        #expect(try await f.post("south", [again], receivedAt: hour(59))["duplicates"] as? Int == 1)
    }

    @Test func theLogIndexIsRebuiltFromTheDatabaseOnRestart() async throws {
        var template = Array("/tmp/fjern-index-XXXXXX".utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        defer { _ = try? FileManager.default.removeItem(atPath: directory) }
        let store = try await Store(directory: directory)
        try await store.pool.write { conn in
            for i in 0..<50 {
                _ = try conn.execute("INSERT INTO reading_log (meter_id, time, source, receptions, data) VALUES (?, ?, 0, 1, x'00')",
                                     [Int64(i % 5 + 1), 1_000_000 + Int64(i) * 60])
            }
        }
        await store.close()
        let reopened = try await Store(directory: directory)
        #expect(reopened.loggedReadings == 50)
        #expect(reopened.readingIndex.entries(meter: 3, from: .min, to: .max).count == 10)
        await reopened.close()
    }

    @Test func longSeriesAreCutIntoBlocksThatStayUnderThePageLimit() throws {
        var entries: [BlockCodec.Entry] = []
        for i in 0..<3000 {
            var v = RegisterValues()
            v[.heatEnergyKWh] = Double(100_000 + i * 7)
            v[.volumeM3] = Double(500_000 + i * 13) / 1000
            v[.flowTemperatureC] = Double(600 + (i * 37) % 200) / 10
            // Every so often a value that does not compress at all.
            if i % 97 == 0 { v[.p1] = Double(i) / 3 }
            entries.append(.init(time: 1_000_000 + Int64(i) * 900, source: 0, receptions: 1, reading: .init(values: v, infoBits: 0)))
        }
        let blocks = ReadingBlocks.cut(entries)
        #expect(blocks.count > 1)
        #expect(blocks.allSatisfy { $0.bytes.count <= ReadingBlocks.maxBlockBytes })
        #expect(blocks.flatMap { Array($0.entries) } == entries)
        for block in blocks {
            #expect(try BlockCodec.decode(block.bytes, firstTime: block.entries.first!.time) == Array(block.entries))
        }
    }
}
