import Foundation
import Testing
@testable import App
import Metering
@testable import Store
import TestSupport
import HTTPServer
import SQLite

@Suite("Customers: export", .serialized, .blockingIO)
struct CustomerExportTests {
    static let base: Int64 = 1_790_000_000

    static func iso(_ seconds: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(seconds)))
    }

    /// Unix seconds of an RFC 3339 time the server wrote (with milliseconds).
    static func seconds(_ value: Any?) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return (value as? String).flatMap { formatter.date(from: $0) }.map { Int64($0.timeIntervalSince1970) }
    }

    /// Hourly readings of `meter` (volume = 100 + hour) straight into the store.
    func addReadings(_ f: AccessFixture, meter: UUID, hours: Range<Int>) async throws {
        let row = try await f.store.meterRowID(tenant: f.tenantA.rowID, id: meter)
        let unit: Int64 = try await f.store.pool.write { conn in
            if let unit: Int64 = try conn.scalar("SELECT id FROM collection_units WHERE name = 'export-test'") { return unit }
            _ = try conn.execute("""
                INSERT INTO collection_units (public_id, tenant_id, type, name, capacity, created_at, updated_at)
                VALUES (?, ?, 'concentrator', 'export-test', 100, 0, 0)
                """, [UUID().uuidString.lowercased(), f.tenantA.rowID])
            return conn.lastInsertRowID
        }
        let readings = hours.map { h in
            var values = RegisterValues()
            values[.volumeM3] = Double(100 + h)
            let time = Self.base + Int64(h) * 3600
            return IngestReading(meter: row, tenant: f.tenantA.rowID, time: time, source: .fixedNetwork,
                                 data: ReadingCodec.encode(ReadingCodec.Decoded(values: values)), unit: unit, receivedAt: time,
                                 rssi: nil, infoCodes: "")
        }
        _ = try await f.store.commitIngest(readings: readings, pending: [], resolved: [])
    }

    func meter(_ f: AccessFixture, _ body: String) throws -> (id: UUID, point: String?) {
        let json = try f.createMeter(body)
        return (UUID(uuidString: try #require(json["id"] as? String))!, (json["meteringPoint"] as? [String: Any])?["id"] as? String)
    }

    /// Installation periods written directly, to set exact times; Unix seconds like readings.
    func install(_ f: AccessFixture, point: String, meter: UUID, from: Int64, to: Int64?) async throws {
        try await f.store.pool.write { conn in
            _ = try conn.execute("""
                INSERT INTO installations (metering_point_id, meter_id, installed_at, removed_at)
                VALUES ((SELECT id FROM metering_points WHERE public_id = ?), (SELECT id FROM meters WHERE public_id = ?), ?, ?)
                """, [point, meter.uuidString.lowercased(), from, to])
        }
    }

    @Test func exportHoldsTheRecordPointsInstallationsReadingsAndAudit() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let customer = try f.createCustomer(#"{"customerNumber":"G-15","name":"Grete","email":"grete@example.dk"}"#)
        let id = try #require(customer["id"] as? String)
        _ = try f.call("PATCH", "/v1/customers/\(id)", token: f.adminA, body: #"{"phone":"+4512345678"}"#)
        let old = try meter(f, #"{"manufacturer":"KAM","serial":"11","medium":"water","model":"MULTICAL 21","meteringPoint":{"address":"Bygade 1","city":"Vejle","latitude":55.7,"longitude":9.5}}"#)
        let new = try meter(f, #"{"manufacturer":"KAM","serial":"12","medium":"water"}"#)
        let stranger = try meter(f, #"{"manufacturer":"KAM","serial":"13","medium":"water","meteringPoint":{"city":"Elsewhere"}}"#)
        let point = try #require(old.point)
        try await f.store.pool.write { conn in _ = try conn.execute("DELETE FROM installations") }
        // The old meter served the point from hour 2 to hour 6, the new one since.
        try await install(f, point: point, meter: old.id, from: Self.base + 2 * 3600, to: Self.base + 6 * 3600)
        try await install(f, point: point, meter: new.id, from: Self.base + 6 * 3600, to: nil)
        try await install(f, point: try #require(stranger.point), meter: stranger.id, from: Self.base, to: nil)
        try await f.assign(point: point, customer: id)
        for m in [old.id, new.id, stranger.id] { try await addReadings(f, meter: m, hours: 0..<10) }

        let query = "?from=\(Self.iso(Self.base + 3600))&to=\(Self.iso(Self.base + 9 * 3600))"
        let response = try f.call("GET", "/v1/customers/\(id)/export" + query, token: f.tokens["user"])
        #expect(response.status == 200, "\(response.text)")
        let export = response.json
        #expect((export["customer"] as? [String: Any])?["phone"] as? String == "+4512345678")
        #expect(Self.seconds(export["from"]) == Self.base + 3600 && Self.seconds(export["to"]) == Self.base + 9 * 3600)
        #expect(export["truncated"] as? Bool == false)
        let points = try #require(export["meteringPoints"] as? [[String: Any]])
        #expect(points.count == 1 && points.first?["id"] as? String == point)
        #expect(points.first?["address"] as? String == "Bygade 1" && points.first?["latitude"] as? Double == 55.7)
        let installations = try #require(points.first?["installations"] as? [[String: Any]])
        #expect(installations.compactMap { $0["meterId"] as? String } == [old.id, new.id].map { $0.uuidString.lowercased() })
        #expect(installations[0]["model"] as? String == "MULTICAL 21" && installations[0]["serial"] as? String == "11")
        #expect(Self.seconds(installations[0]["installedAt"]) == Self.base + 2 * 3600)
        #expect(Self.seconds(installations[0]["removedAt"]) == Self.base + 6 * 3600 && installations[1]["removedAt"] is NSNull)
        let volumes = { (i: [String: Any]) in
            ((i["readings"] as? [[String: Any]]) ?? []).compactMap { ($0["registers"] as? [String: Any])?["volumeM3"] as? Double }
        }
        // Only while installed at the customer's point, and only inside the window.
        #expect(volumes(installations[0]) == [102, 103, 104, 105])
        #expect(volumes(installations[1]) == [106, 107, 108])
        #expect(!response.text.contains(stranger.id.uuidString.lowercased()))
        let audit = try #require(export["auditEvents"] as? [[String: Any]])
        #expect(audit.compactMap { $0["type"] as? String } == ["customer.created", "customer.updated"])
        // The export itself is audited, with what it held.
        #expect(try await f.auditCount("type = 'customer.exported' AND target = '/v1/customers/\(id)' AND details LIKE '%\"readings\":7}'") == 1)
        let again = try f.call("GET", "/v1/customers/\(id)/export" + query, token: f.adminA).json
        #expect((again["auditEvents"] as? [[String: Any]])?.last?["type"] as? String == "customer.exported")
    }

    @Test func theReadingsWindowIsBounded() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let id = try #require(try f.createCustomer(#"{"customerNumber":"W-1"}"#)["id"] as? String)
        let path = "/v1/customers/\(id)/export"
        let plain = try f.call("GET", path, token: f.adminA)
        #expect(plain.status == 200 && (plain.json["meteringPoints"] as? [Any])?.isEmpty == true)
        let from = try #require(Self.seconds(plain.json["from"])), to = try #require(Self.seconds(plain.json["to"]))
        #expect(to - from == 400 * 86_400 && abs(to - Int64(Date().timeIntervalSince1970)) < 60)
        let reversed = try f.call("GET", path + "?from=\(Self.iso(Self.base))&to=\(Self.iso(Self.base))", token: f.adminA)
        #expect(reversed.status == 422 && reversed.pointers == ["#/query/from"])
        let long = try f.call("GET", path + "?from=\(Self.iso(Self.base - 401 * 86_400))&to=\(Self.iso(Self.base))", token: f.adminA)
        #expect(long.status == 422 && long.pointers == ["#/query/from"])
        #expect(try f.call("GET", path + "?from=\(Self.iso(Self.base - 400 * 86_400))&to=\(Self.iso(Self.base))", token: f.adminA).status == 200)
        #expect(try f.call("GET", path + "?from=yesterday", token: f.adminA).status == 400)
        // A deleted customer has nothing to export.
        #expect(try f.call("DELETE", "/v1/customers/\(id)", token: f.adminA).status == 204)
        #expect(try f.call("GET", path, token: f.adminA).status == 404)
        #expect(try await f.auditCount("type = 'customer.exported'") == 2)
    }

    @Test func aYearOfHourlyReadings() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let id = try #require(try f.createCustomer(#"{"customerNumber":"T-1"}"#)["id"] as? String)
        let m = try meter(f, #"{"manufacturer":"KAM","serial":"21","medium":"water","meteringPoint":{"city":"Aarhus"}}"#)
        let point = try #require(m.point)
        try await f.store.pool.write { conn in _ = try conn.execute("DELETE FROM installations") }
        try await install(f, point: point, meter: m.id, from: Self.base, to: nil)
        try await f.assign(point: point, customer: id)
        try await addReadings(f, meter: m.id, hours: 0..<9_600)
        let query = "?from=\(Self.iso(Self.base))&to=\(Self.iso(Self.base + 9_600 * 3600))"
        let start = Date()
        let response = try f.call("GET", "/v1/customers/\(id)/export" + query, token: f.adminA)
        let seconds = Date().timeIntervalSince(start)
        #expect(response.status == 200)
        let installations = (response.json["meteringPoints"] as? [[String: Any]])?.first?["installations"] as? [[String: Any]]
        #expect((installations?.first?["readings"] as? [Any])?.count == 9_600)
        print("customer export with 9,600 readings (400 days hourly): \(String(format: "%.3f", seconds)) s, \(response.body.count) bytes")
    }
}
