import Foundation
import Testing
@testable import App
@testable import Store
import HTTPServer
import SQLite
import TestSupport

/// Consumption alerts over real sockets: evaluation as readings are ingested, states and
/// reset, group targets, the 5,000-meter limit, errors, tenants and permissions.
@Suite(.serialized, .blockingIO)
struct ConsumptionAlertTests {
    static let key: [UInt8] = Array(0..<16)

    static func alertBody(meter: UUID? = nil, group: String? = nil, limit: String = "0.05", period: String = "day",
                          name: String = "Leak watch", end: String? = nil) -> String {
        var fields = [#""name":"\#(name)""#, #""register":"volumeM3""#, #""limit":\#(limit)"#, #""period":"\#(period)""#,
                      #""start":"2026-11-01T00:00:00Z""#]
        if let meter { fields.append(#""meterId":"\#(meter.uuidString.lowercased())""#) }
        if let group { fields.append(#""group":"\#(group)""#) }
        if let end { fields.append(#""end":"\#(end)""#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func create(_ f: IngestFixture, _ body: String, token: String? = nil) async throws -> [String: Any] {
        let response = try await f.call("POST", "/v1/consumption-alerts", token: token ?? f.adminA, body: body)
        guard response.status == 201 else { throw IngestFixture.Failure("create alert: \(response.status) \(response.text)") }
        return response.json
    }

    /// One MULTICAL 21 reading of `litres` at `time`.
    static func read(_ f: IngestFixture, serial: UInt32, litres: UInt32, at time: String, access: UInt8) async throws {
        _ = try await f.post("north", [try IngestFixture.multical21(id: serial, key: key, litres: litres, access: access)], receivedAt: time)
    }

    @Test func triggersOncePerPeriodAndAgainAfterResetInALaterPeriod() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "76348799", key: Self.key)
        let alert = try await Self.create(f, Self.alertBody(meter: meter))
        let id = try #require(alert["id"] as? String)
        #expect(alert["state"] as? String == "active" && alert["meterId"] as? String == meter.uuidString.lowercased())

        // Copenhagen's 21 November runs from 23:00Z on the 20th: all of these are one day.
        try await Self.read(f, serial: 76_348_799, litres: 1000, at: "2026-11-21T08:00:00Z", access: 1)
        try await Self.read(f, serial: 76_348_799, litres: 1030, at: "2026-11-21T09:00:00Z", access: 2)
        #expect(try await f.events("consumption-alert.triggered", token: f.adminA).isEmpty)
        try await Self.read(f, serial: 76_348_799, litres: 1060, at: "2026-11-21T10:00:00Z", access: 3)
        var triggered = try await f.events("consumption-alert.triggered", token: f.adminA)
        #expect(triggered.count == 1)
        #expect((triggered.first?["data"] as? [String: Any])?["alertId"] as? String == id)
        #expect(triggered.first?["meterId"] as? String == meter.uuidString.lowercased())

        let got = try await f.call("GET", "/v1/consumption-alerts/\(id)", token: f.adminA)
        #expect(got.json["state"] as? String == "triggered" && got.json["triggeredMeters"] as? Int == 1)
        let meters = try await f.call("GET", "/v1/consumption-alerts/\(id)/meters", token: f.adminA).json["items"] as? [[String: Any]]
        #expect(meters?.count == 1 && meters?.first?["state"] as? String == "triggered")
        let consumption = try #require(meters?.first?["consumption"] as? Double)
        #expect(abs(consumption - 0.06) < 1e-9)
        #expect(meters?.first?["periodStart"] as? String == "2026-11-20T23:00:00.000Z")

        // Still triggered: more consumption the same day says nothing new.
        try await Self.read(f, serial: 76_348_799, litres: 1200, at: "2026-11-21T11:00:00Z", access: 4)
        #expect(try await f.events("consumption-alert.triggered", token: f.adminA).count == 1)

        let reset = try await f.call("POST", "/v1/consumption-alerts/\(id)/reset", token: f.adminA, body: "{}")
        #expect(reset.status == 200 && reset.json["reset"] as? Int == 1)
        let again = try await f.call("POST", "/v1/consumption-alerts/\(id)/reset", token: f.adminA, body: "{}")
        #expect(again.json["reset"] as? Int == 0)
        #expect(try await f.call("GET", "/v1/consumption-alerts/\(id)", token: f.adminA).json["state"] as? String == "reset")
        // Reset, but this period already triggered: no second trigger today.
        try await Self.read(f, serial: 76_348_799, litres: 1300, at: "2026-11-21T12:00:00Z", access: 5)
        #expect(try await f.events("consumption-alert.triggered", token: f.adminA).count == 1)

        // The next day counts from the last reading before its start (1300 litres).
        try await Self.read(f, serial: 76_348_799, litres: 1310, at: "2026-11-22T08:00:00Z", access: 6)
        #expect(try await f.events("consumption-alert.triggered", token: f.adminA).count == 1)
        try await Self.read(f, serial: 76_348_799, litres: 1400, at: "2026-11-22T09:00:00Z", access: 7)
        triggered = try await f.events("consumption-alert.triggered", token: f.adminA)
        #expect(triggered.count == 2)
        let now = try await f.call("GET", "/v1/consumption-alerts/\(id)/meters?state=triggered", token: f.adminA)
        let second = try #require((now.json["items"] as? [[String: Any]])?.first)
        #expect(abs((second["consumption"] as? Double ?? 0) - 0.1) < 1e-9)
        #expect(second["periodStart"] as? String == "2026-11-21T23:00:00.000Z")
        #expect(second["resetAt"] as? String != nil)

        // The alert list filters by state; tenant B sees none of it.
        let listed = try await f.call("GET", "/v1/consumption-alerts?state=triggered", token: f.adminA).json["items"] as? [[String: Any]]
        #expect(listed?.map { $0["id"] as? String } == [id])
        #expect((try await f.call("GET", "/v1/consumption-alerts?state=active", token: f.adminA).json["items"] as? [Any])?.isEmpty == true)
        #expect((try await f.call("GET", "/v1/consumption-alerts", token: f.adminB).json["items"] as? [Any])?.isEmpty == true)
        #expect(try await f.events("consumption-alert.triggered", token: f.adminB).isEmpty)
    }

    @Test func aGroupAlertMonitorsMetersThatJoinLater() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "11223344", key: Self.key)
        let group = try await f.call("POST", "/v1/groups", token: f.adminA, body: #"{"name":"Street"}"#)
        let groupID = try #require(group.json["id"] as? String)
        let alert = try await Self.create(f, Self.alertBody(group: groupID, limit: "0.01", period: "hour"))
        let id = try #require(alert["id"] as? String)
        #expect(alert["group"] as? String == groupID && alert["meterId"] == nil)

        try await Self.read(f, serial: 11_223_344, litres: 500, at: "2026-11-21T08:05:00Z", access: 1)
        try await Self.read(f, serial: 11_223_344, litres: 600, at: "2026-11-21T08:10:00Z", access: 2)
        // Not a member yet: nothing.
        #expect(try await f.events("consumption-alert.triggered", token: f.adminA).isEmpty)
        #expect((try await f.call("GET", "/v1/consumption-alerts/\(id)/meters", token: f.adminA).json["items"] as? [Any])?.isEmpty == true)

        let added = try await f.call("POST", "/v1/groups/\(groupID)/members", token: f.adminA,
                                     body: #"{"meterIds":["\#(meter.uuidString.lowercased())"]}"#)
        #expect(added.status == 200)
        // No reading before 08:00: the hour counts from its first reading (08:05, 500 litres): 0.12 m³ > 0.01.
        try await Self.read(f, serial: 11_223_344, litres: 620, at: "2026-11-21T08:20:00Z", access: 3)
        let triggered = try await f.events("consumption-alert.triggered", token: f.adminA)
        #expect(triggered.count == 1 && (triggered.first?["data"] as? [String: Any])?["alertId"] as? String == id)
        let meters = try await f.call("GET", "/v1/consumption-alerts/\(id)/meters", token: f.adminA).json["items"] as? [[String: Any]]
        #expect(meters?.count == 1 && meters?.first?["meterId"] as? String == meter.uuidString.lowercased())
        #expect(meters?.first?["state"] as? String == "triggered")

        // A reset of one meter; a meter of another tenant is 404.
        let other = try await f.addMeter(tenant: f.tenantB.rowID, serial: "99887766", key: nil)
        let foreign = try await f.call("POST", "/v1/consumption-alerts/\(id)/reset", token: f.adminA,
                                       body: #"{"meterId":"\#(other.uuidString.lowercased())"}"#)
        #expect(foreign.status == 404)
        let one = try await f.call("POST", "/v1/consumption-alerts/\(id)/reset", token: f.adminA,
                                   body: #"{"meterId":"\#(meter.uuidString.lowercased())"}"#)
        #expect(one.status == 200 && one.json["reset"] as? Int == 1)
    }

    @Test func definitionsAreCheckedAndChangedWithETags() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "12345678", key: nil)
        let foreign = try await f.addMeter(tenant: f.tenantB.rowID, serial: "87654321", key: nil)

        func status(_ body: String) async throws -> (Int, [String]) {
            let r = try await f.call("POST", "/v1/consumption-alerts", token: f.adminA, body: body)
            return (r.status, (r.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String })
        }
        #expect(try await status(Self.alertBody()) == (422, ["/meterId"]))
        #expect(try await status(Self.alertBody(meter: meter, group: "all")) == (422, ["/group"]))
        #expect(try await status(Self.alertBody(meter: meter, name: "   ")) == (422, ["/name"]))
        #expect(try await status(Self.alertBody(meter: meter, limit: "-1")) == (422, ["/limit"]))
        #expect(try await status(Self.alertBody(meter: meter, end: "2026-10-01T00:00:00Z")) == (422, ["/end"]))
        #expect(try await status(Self.alertBody(meter: meter, period: "year")).0 == 400)
        #expect(try await status(Self.alertBody(meter: foreign)).0 == 404)
        #expect(try await status(Self.alertBody(group: UUID().uuidString.lowercased())).0 == 404)

        let created = try await f.call("POST", "/v1/consumption-alerts", token: f.adminA, body: Self.alertBody(meter: meter))
        #expect(created.status == 201)
        let id = try #require(created.json["id"] as? String)
        let etag = try #require(created.headers["ETag"])
        #expect(created.headers["Location"] == "/v1/consumption-alerts/\(id)")

        // Another tenant's alert reads as missing, for every operation.
        #expect(try await f.call("GET", "/v1/consumption-alerts/\(id)", token: f.adminB).status == 404)
        #expect(try await f.call("GET", "/v1/consumption-alerts/\(id)/meters", token: f.adminB).status == 404)
        #expect(try await f.call("POST", "/v1/consumption-alerts/\(id)/reset", token: f.adminB, body: "{}").status == 404)
        #expect(try await f.call("PUT", "/v1/consumption-alerts/\(id)", token: f.adminB, body: Self.alertBody(meter: meter)).status == 404)
        #expect(try await f.call("DELETE", "/v1/consumption-alerts/\(id)", token: f.adminB).status == 404)

        // A `user` views but cannot create, change or reset.
        let user = try await f.userTokenA()
        #expect(try await f.call("GET", "/v1/consumption-alerts/\(id)", token: user).status == 200)
        #expect(try await f.call("POST", "/v1/consumption-alerts", token: user, body: Self.alertBody(meter: meter)).status == 403)
        #expect(try await f.call("POST", "/v1/consumption-alerts/\(id)/reset", token: user, body: "{}").status == 403)
        #expect(try await f.call("DELETE", "/v1/consumption-alerts/\(id)", token: user).status == 403)

        let stale = try await f.call("PUT", "/v1/consumption-alerts/\(id)", token: f.adminA,
                                     body: Self.alertBody(meter: meter, limit: "2"), headers: [("If-Match", "\"99\"")])
        #expect(stale.status == 412)
        let replaced = try await f.call("PUT", "/v1/consumption-alerts/\(id)", token: f.adminA,
                                        body: Self.alertBody(meter: meter, limit: "2", period: "week", end: "2027-01-01T00:00:00Z"),
                                        headers: [("If-Match", etag)])
        #expect(replaced.status == 200)
        #expect(replaced.json["limit"] as? Double == 2 && replaced.json["period"] as? String == "week")
        #expect(replaced.json["end"] as? String == "2027-01-01T00:00:00.000Z")
        #expect(replaced.headers["ETag"] != etag)
        #expect(try await f.call("DELETE", "/v1/consumption-alerts/\(id)", token: f.adminA, headers: [("If-Match", etag)]).status == 412)
        #expect(try await f.call("DELETE", "/v1/consumption-alerts/\(id)", token: f.adminA).status == 204)
        #expect(try await f.call("GET", "/v1/consumption-alerts/\(id)", token: f.adminA).status == 404)
        let audit: Int = try await f.store.pool.read { conn in
            try conn.scalar("SELECT count(*) FROM audit_events WHERE type LIKE 'consumption-alert.%'") ?? 0
        }
        #expect(audit == 3)
    }

    @Test func aTenantMonitorsAtMostFiveThousandMeters() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        try await f.addMeters(4_999, tenant: f.tenantA.rowID, first: 10_000_000)
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "20000000", key: nil)
        // All 5,000 meters at once is the limit itself; the same meter again counts once.
        _ = try await Self.create(f, Self.alertBody(group: "all"))
        _ = try await Self.create(f, Self.alertBody(meter: meter))
        let extra = try await f.addMeter(tenant: f.tenantA.rowID, serial: "20000001", key: nil)
        let over = try await f.call("POST", "/v1/consumption-alerts", token: f.adminA, body: Self.alertBody(meter: extra))
        #expect(over.status == 409)
        #expect((over.json["detail"] as? String)?.contains("5001") == true)
        // An alert that already ended monitors nothing and is accepted; tenant B has its own budget.
        let ended = try await f.call("POST", "/v1/consumption-alerts", token: f.adminA,
                                     body: Self.alertBody(meter: extra, end: "2026-11-02T00:00:00Z"))
        #expect(ended.status == 201)
        let b = try await f.addMeter(tenant: f.tenantB.rowID, serial: "30000000", key: nil)
        #expect(try await f.call("POST", "/v1/consumption-alerts", token: f.adminB, body: Self.alertBody(meter: b)).status == 201)
    }
}
