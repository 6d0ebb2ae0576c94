import Foundation
import Testing
@testable import App
@testable import Store
import SQLite
import HTTPServer
import TestSupport

@Suite("Collection units: heard meters and receptions", .serialized, .blockingIO)
struct HeardMeterTests {
    @Test func upsertAddsUpReceptions() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let unitID = try f.createUnit(f.adminA)
        let unit = try await f.unitRowID(unitID)
        let meter = try await f.insertMeter(tenant: f.tenantA.rowID, serial: "76348799")
        func upsert(_ rows: [HeardUpdate]) async throws { try await f.store.pool.write { try Store.upsertHeard(rows, $0) } }
        try await upsert([HeardUpdate(unit: unit, meter: meter.row, firstHeard: 1000, lastHeard: 1100, lastRssi: -70,
                                      rssiSum: -140, rssiCount: 2, count: 2)])
        // Older receptions arriving late move first_heard back but not last_heard / last_rssi.
        try await upsert([HeardUpdate(unit: unit, meter: meter.row, firstHeard: 900, lastHeard: 950, lastRssi: -90,
                                      rssiSum: -90, rssiCount: 1, count: 1)])
        // A newer one without RSSI keeps the last known RSSI; one with RSSI replaces it.
        try await upsert([HeardUpdate(unit: unit, meter: meter.row, firstHeard: 1200, lastHeard: 1200, lastRssi: nil,
                                      rssiSum: 0, rssiCount: 0, count: 1)])
        let row: [Int64] = try await f.store.pool.read { conn in
            var row: [Int64] = []
            try conn.query("SELECT first_heard, last_heard, last_rssi, rssi_sum, rssi_count, count FROM heard_meters") { r in
                row = (0..<6).map { r.int64($0) }
            }
            return row
        }
        #expect(row == [900, 1200, -70, -230, 3, 4])
        try await upsert([HeardUpdate(unit: unit, meter: meter.row, firstHeard: 1300, lastHeard: 1300, lastRssi: -60,
                                      rssiSum: -60, rssiCount: 1, count: 1)])
        let heard = f.items(try f.call("GET", "/v1/collection-units/\(unitID)/heard-meters", token: f.adminA))
        #expect(heard.count == 1)
        let item = try #require(heard.first)
        #expect(item["meterId"] as? String == meter.id && item["serial"] as? String == "76348799" && item["manufacturer"] as? String == "KAM")
        #expect(item["firstHeard"] as? String == "1970-01-01T00:15:00.000Z" && item["lastHeard"] as? String == "1970-01-01T00:21:40.000Z")
        #expect(item["lastRssi"] as? Int == -60 && item["averageRssi"] as? Double == -72.5 && item["count"] as? Int == 5)
        try await upsert([])
    }

    @Test func eachTenantSeesOnlyItsOwnMetersOnASharedUnit() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let shared = try f.createUnit(f.adminA, name: "Shared")
        let onlyA = try f.createUnit(f.adminA, type: "mini-concentrator", name: "A only")
        try f.share(shared, owner: f.adminA, with: f.adminB)
        let sharedRow = try await f.unitRowID(shared), onlyARow = try await f.unitRowID(onlyA)
        let a1 = try await f.insertMeter(tenant: f.tenantA.rowID, serial: "11111111")
        let a2 = try await f.insertMeter(tenant: f.tenantA.rowID, serial: "22222222")
        let b1 = try await f.insertMeter(tenant: f.tenantB.rowID, serial: "33333333")
        try await f.store.pool.write { conn in
            try Store.upsertHeard([
                HeardUpdate(unit: sharedRow, meter: a1.row, firstHeard: 100, lastHeard: 500, lastRssi: -80, rssiSum: -80, rssiCount: 1, count: 1),
                HeardUpdate(unit: sharedRow, meter: a2.row, firstHeard: 100, lastHeard: 700, lastRssi: nil, rssiSum: 0, rssiCount: 0, count: 3),
                HeardUpdate(unit: sharedRow, meter: b1.row, firstHeard: 100, lastHeard: 600, lastRssi: -75, rssiSum: -75, rssiCount: 1, count: 1),
                HeardUpdate(unit: onlyARow, meter: a1.row, firstHeard: 200, lastHeard: 300, lastRssi: -95, rssiSum: -95, rssiCount: 1, count: 1),
            ], conn)
        }
        let path = "/v1/collection-units/\(shared)/heard-meters"
        let forA = f.items(try f.call("GET", path, token: f.adminA))
        #expect(forA.map { $0["meterId"] as? String } == [a2.id, a1.id])
        #expect(forA.first?["lastRssi"] is NSNull && forA.first?["averageRssi"] is NSNull)
        let forB = try f.call("GET", path, token: f.adminB)
        #expect(f.items(forB).map { $0["meterId"] as? String } == [b1.id])
        #expect(!forB.text.contains("11111111") && !forB.text.contains("22222222"))
        #expect(!(try f.call("GET", path, token: f.adminA).text.contains("33333333")))
        // Receptions: A's meter is heard by both of A's units; B cannot ask about it, and sees only the shared unit for its own.
        let receptions = f.items(try f.call("GET", "/v1/meters/\(a1.id)/receptions", token: f.tokens["user"]!))
        #expect(receptions.map { $0["unitId"] as? String } == [shared, onlyA])
        #expect(receptions.last?["unitType"] as? String == "mini-concentrator" && receptions.last?["unitName"] as? String == "A only")
        #expect(receptions.last?["lastRssi"] as? Int == -95 && receptions.last?["averageRssi"] as? Double == -95)
        #expect(try f.call("GET", "/v1/meters/\(a1.id)/receptions", token: f.adminB).status == 404)
        #expect(try f.call("GET", "/v1/meters/\(UUID().uuidString.lowercased())/receptions", token: f.adminA).status == 404)
        #expect(f.items(try f.call("GET", "/v1/meters/\(b1.id)/receptions", token: f.adminB)).map { $0["unitId"] as? String } == [shared])
        #expect(try f.call("GET", "/v1/meters/\(a1.id)/receptions", token: f.tokens["collector"]!).status == 403)
        // After B leaves, the shared unit no longer tells B anything.
        #expect(try f.call("DELETE", "/v1/collection-units/\(shared)/shares/\(f.tenantB.id.uuidString.lowercased())", token: f.adminB).status == 204)
        #expect(try f.call("GET", path, token: f.adminB).status == 404)
        #expect(f.items(try f.call("GET", "/v1/meters/\(b1.id)/receptions", token: f.adminB)).isEmpty)
    }

    @Test func bothOrdersPageWithTheirOwnCursors() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let unit = try f.createUnit(f.adminA)
        let row = try await f.unitRowID(unit)
        var meters: [(row: Int64, id: String)] = []
        for i in 0..<5 { meters.append(try await f.insertMeter(tenant: f.tenantA.rowID, serial: "1000000\(i)")) }
        // Last heard: 300, 100, 300, 200, 50 → order by time desc, then meter: m0, m2, m3, m1, m4.
        let times: [Int64] = [300, 100, 300, 200, 50]
        let updates = zip(meters, times).map { m, t in
            HeardUpdate(unit: row, meter: m.row, firstHeard: t, lastHeard: t, lastRssi: -70, rssiSum: -70, rssiCount: 1, count: 1)
        }
        try await f.store.pool.write { conn in try Store.upsertHeard(updates, conn) }
        func walk(_ sort: String) throws -> [String] {
            var ids: [String] = [], cursor: String? = nil
            repeat {
                let query = "limit=2" + (sort.isEmpty ? "" : "&sort=\(sort)") + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try f.call("GET", "/v1/collection-units/\(unit)/heard-meters?\(query)", token: f.adminA).json
                ids += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["meterId"] as? String }
                cursor = page["nextCursor"] as? String
            } while cursor != nil && ids.count < 20
            return ids
        }
        let byTime = [0, 2, 3, 1, 4].map { meters[$0].id }
        #expect(try walk("") == byTime)
        #expect(try walk("last-heard") == byTime)
        #expect(try walk("meter") == meters.map(\.id))
        // A cursor of the other order is refused, not misread.
        let timeCursor = try #require(try f.call("GET", "/v1/collection-units/\(unit)/heard-meters?limit=2", token: f.adminA)
            .json["nextCursor"] as? String)
        #expect(try f.call("GET", "/v1/collection-units/\(unit)/heard-meters?sort=meter&cursor=\(timeCursor)", token: f.adminA).status == 400)
        #expect(try f.call("GET", "/v1/collection-units/\(unit)/heard-meters?cursor=c5", token: f.adminA).status == 400)
        #expect(try f.call("GET", "/v1/collection-units/\(unit)/heard-meters?sort=loudest", token: f.adminA).status == 400)
        #expect(try f.call("GET", "/v1/collection-units/\(unit)/heard-meters", token: f.tokens["collector"]!).status == 403)
    }
}
