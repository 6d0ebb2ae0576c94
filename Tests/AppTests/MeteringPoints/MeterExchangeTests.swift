import Foundation
import Testing
@testable import App
@testable import Store
import TestSupport
import HTTPServer
import SQLite

@Suite("Meter exchanges", .serialized, .blockingIO)
struct MeterExchangeTests {
    /// Tenant A: a point with a customer and an installed meter in a group with priority, and a meter in stock.
    struct Setup {
        var point: String
        var old: String
        var new: String
        var group: Int64
    }

    static func setUp(_ f: AccessFixture) async throws -> Setup {
        let customer = try await f.insertCustomer(f.tenantA.rowID, number: "C-1", name: "Anna")
        let point = try #require(try f.createPoint(#"{"address":"Bygade 1","latitude":56,"longitude":10,"customerId":"\#(customer)"}"#)["id"] as? String)
        let old = try #require(try f.createMeter(#"{"manufacturer":"KAM","serial":"1","medium":"heat","meteringPointId":"\#(point)"}"#)["id"] as? String)
        let new = try #require(try f.createMeter(#"{"manufacturer":"KAM","serial":"2","medium":"heat"}"#)["id"] as? String)
        let tenant = f.tenantA.rowID
        let group: Int64 = try await f.store.pool.write { conn in
            try conn.execute("INSERT INTO groups (public_id, tenant_id, name, created_at, updated_at) VALUES (?, ?, 'District 1', 0, 0)",
                             [UUID().uuidString.lowercased(), tenant])
            let group = conn.lastInsertRowID
            try conn.execute("INSERT INTO group_members (group_id, meter_id, added_at) SELECT ?, id, 0 FROM meters WHERE public_id = ?",
                             [group, old])
            try conn.execute("UPDATE meters SET priority_since = 1234 WHERE public_id = ?", [old])
            return group
        }
        return Setup(point: point, old: old, new: new, group: group)
    }

    static func body(_ s: Setup, at: Date = Date(), extra: String = "") -> String {
        #"{"oldMeterId":"\#(s.old)","newMeterId":"\#(s.new)","exchangedAt":"\#(rfc3339(at))"\#(extra)}"#
    }

    @Test func exchangeMovesEverythingInOneStep() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let s = try await Self.setUp(f)
        let at = Date()
        let body = Self.body(s, at: at, extra: #","oldFinalReading":{"heatEnergyKWh":12345.6,"volumeM3":321.25},"newStartReading":{"heatEnergyKWh":0}"#)
        let created = try f.call("POST", "/v1/meter-exchanges", token: f.adminA, body: body, headers: [("Idempotency-Key", "ex-1")])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.json["id"] as? String)
        #expect(created.headers["Location"] == "/v1/meter-exchanges/\(id)")
        #expect(created.json["meteringPointId"] as? String == s.point && created.json["oldMeterId"] as? String == s.old)
        #expect(created.json["newMeterId"] as? String == s.new && unixSeconds(created.json["exchangedAt"]) == Int64(at.timeIntervalSince1970))
        #expect((created.json["oldFinalReading"] as? [String: Any])?["volumeM3"] as? Double == 321.25)
        #expect((created.json["newStartReading"] as? [String: Any])?["heatEnergyKWh"] as? Double == 0)

        // The old meter is removed and off the point; the new one is there with location and customer.
        let old = try f.call("GET", "/v1/meters/\(s.old)", token: f.adminA).json
        #expect(old["lifecycle"] as? String == "removed" && old["meteringPoint"] is NSNull)
        let new = try f.call("GET", "/v1/meters/\(s.new)", token: f.adminA).json
        let place = try #require(new["meteringPoint"] as? [String: Any])
        #expect(new["lifecycle"] as? String == "installed" && place["id"] as? String == s.point)
        #expect(place["address"] as? String == "Bygade 1" && place["latitude"] as? Double == 56 && place["customerNumber"] as? String == "C-1")
        let point = try f.call("GET", "/v1/metering-points/\(s.point)", token: f.adminA).json
        #expect(point["meterId"] as? String == s.new)
        let history = try #require(point["installations"] as? [[String: Any]])
        #expect(history.compactMap { $0["meterId"] as? String } == [s.new, s.old])
        #expect(unixSeconds(history[0]["installedAt"]) == Int64(at.timeIntervalSince1970) && history[0]["removedAt"] is NSNull)
        #expect(unixSeconds(history[1]["removedAt"]) == Int64(at.timeIntervalSince1970))
        #expect((history[1]["finalReading"] as? [String: Any])?["heatEnergyKWh"] as? Double == 12345.6)
        #expect((history[0]["startReading"] as? [String: Any])?["heatEnergyKWh"] as? Double == 0)

        // Groups and priority carried over; the feed has the event; audited.
        let members: Int? = try await f.sql("SELECT count(*) FROM group_members gm JOIN meters m ON m.id = gm.meter_id WHERE gm.group_id = \(s.group) AND m.public_id = '\(s.new)'")
        #expect(members == 1)
        let priority: Int64? = try await f.sql("SELECT priority_since FROM meters WHERE public_id = '\(s.new)'")
        let oldPriority: Int64? = try await f.sql("SELECT count(*) FROM meters WHERE public_id = '\(s.old)' AND priority_since IS NOT NULL")
        #expect(priority == 1234 && oldPriority == 0)
        let event: String? = try await f.sql("""
            SELECT CAST(e.data AS TEXT) FROM events e JOIN metering_points p ON p.id = e.subject_id
            WHERE e.type = \(EventType.meterExchanged.code) AND e.tenant_id = \(f.tenantA.rowID) AND p.public_id = '\(s.point)'
            """)
        #expect(event == id)
        #expect(try await f.auditCount("type = 'meter.exchanged' AND target = '/v1/meter-exchanges/\(id)'") == 1)

        // The billing system's retry replays the 201; the same key with another body is refused.
        let replay = try f.call("POST", "/v1/meter-exchanges", token: f.adminA, body: body, headers: [("Idempotency-Key", "ex-1")])
        #expect(replay.status == 201 && replay.json["id"] as? String == id && replay.headers["Idempotent-Replayed"] == "true")
        let otherBody = try f.call("POST", "/v1/meter-exchanges", token: f.adminA, body: Self.body(s), headers: [("Idempotency-Key", "ex-1")])
        #expect(otherBody.status == 422)
        let exchanges: Int? = try await f.sql("SELECT count(*) FROM meter_exchanges")
        #expect(exchanges == 1)

        // Read back, alone and listed.
        let got = try f.call("GET", "/v1/meter-exchanges/\(id)", token: f.tokens["user"])
        #expect(got.status == 200 && got.json["newMeterId"] as? String == s.new)
        let listed = try f.call("GET", "/v1/meter-exchanges?meteringPointId=\(s.point)", token: f.tokens["user"])
        #expect(listed.jsonArray.compactMap { $0["id"] as? String } == [id])
        let later = rfc3339(at.addingTimeInterval(3600)).replacingOccurrences(of: "+", with: "%2B")
        #expect(try f.call("GET", "/v1/meter-exchanges?from=\(later)", token: f.adminA).jsonArray.isEmpty)
        #expect(try f.call("GET", "/v1/meter-exchanges?to=\(later)", token: f.adminA).jsonArray.count == 1)
    }

    @Test func refusals() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let s = try await Self.setUp(f)
        func post(_ body: String) throws -> RawClient.Response { try f.call("POST", "/v1/meter-exchanges", token: f.adminA, body: body) }
        var unknown = s
        unknown.new = UUID().uuidString.lowercased()
        #expect(try post(Self.body(unknown)).status == 404)
        unknown = s
        unknown.old = UUID().uuidString.lowercased()
        #expect(try post(Self.body(unknown)).status == 404)
        var same = s
        same.new = s.old
        let sameMeter = try post(Self.body(same))
        #expect(sameMeter.status == 422 && sameMeter.pointers == ["/newMeterId"])
        let future = try post(Self.body(s, at: Date().addingTimeInterval(3600)))
        #expect(future.status == 422 && future.pointers == ["/exchangedAt"])
        let early = try post(Self.body(s, at: Date(timeIntervalSince1970: 946_684_800)))
        #expect(early.status == 422 && early.pointers == ["/exchangedAt"] && early.text.contains("installed"))
        // The new meter is installed on another point.
        let elsewhere = try #require(try f.createMeter(#"{"manufacturer":"KAM","serial":"3","medium":"heat","meteringPoint":{"city":"Z"}}"#)["id"] as? String)
        var busy = s
        busy.new = elsewhere
        #expect(try post(Self.body(busy)).status == 409)
        // The old meter is not installed anywhere.
        var idle = s
        idle.old = s.new
        idle.new = elsewhere
        #expect(try post(Self.body(idle)).status == 409)
        // The contract: required fields, register names and ranges.
        #expect(try post(#"{"oldMeterId":"\#(s.old)","newMeterId":"\#(s.new)"}"#).pointers.contains("/exchangedAt"))
        let negative = try post(Self.body(s, extra: #","oldFinalReading":{"volumeM3":-1}"#))
        #expect(negative.status == 400 && negative.pointers == ["/oldFinalReading/volumeM3"])
        let temperature = try post(Self.body(s, extra: #","newStartReading":{"flowTemperatureC":60}"#))
        #expect(temperature.status == 400 && temperature.pointers == ["/newStartReading/flowTemperatureC"])
        #expect(try f.call("GET", "/v1/meter-exchanges?cursor=c1", token: f.adminA).status == 400)
        #expect(try f.call("GET", "/v1/meter-exchanges?meteringPointId=\(UUID().uuidString)", token: f.adminA).status == 404)
        #expect(try f.call("GET", "/v1/meter-exchanges/\(UUID().uuidString)", token: f.adminA).status == 404)
        // Nothing changed.
        let count: Int? = try await f.sql("SELECT count(*) FROM meter_exchanges")
        #expect(count == 0)
        #expect(try f.call("GET", "/v1/metering-points/\(s.point)", token: f.adminA).json["meterId"] as? String == s.old)
    }

    @Test func listIsOrderedAndPaged() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let s = try await Self.setUp(f)
        let first = try f.call("POST", "/v1/meter-exchanges", token: f.adminA, body: Self.body(s))
        #expect(first.status == 201)
        // The new meter is exchanged again, for a third.
        let third = try #require(try f.createMeter(#"{"manufacturer":"KAM","serial":"9","medium":"heat"}"#)["id"] as? String)
        let next = Setup(point: s.point, old: s.new, new: third, group: s.group)
        let second = try f.call("POST", "/v1/meter-exchanges", token: f.adminA, body: Self.body(next, at: Date().addingTimeInterval(2)))
        #expect(second.status == 201)
        let page1 = try f.call("GET", "/v1/meter-exchanges?limit=1", token: f.adminA)
        let cursor = try #require(page1.json["nextCursor"] as? String)
        let page2 = try f.call("GET", "/v1/meter-exchanges?limit=1&cursor=\(cursor)", token: f.adminA)
        #expect(page1.jsonArray.first?["id"] as? String == first.json["id"] as? String)
        #expect(page2.jsonArray.first?["id"] as? String == second.json["id"] as? String && page2.json["nextCursor"] == nil)
        // The point's history: three meters, newest first; the third inherited the group.
        #expect(try f.installations(s.point).compactMap { $0["meterId"] as? String } == [third, s.new, s.old])
        let members: Int? = try await f.sql("SELECT count(*) FROM group_members WHERE group_id = \(s.group)")
        #expect(members == 3)
    }

    @Test func otherTenantsAndPermissions() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let s = try await Self.setUp(f)
        let created = try f.call("POST", "/v1/meter-exchanges", token: f.adminA, body: Self.body(s))
        let id = try #require(created.json["id"] as? String)
        #expect(try f.call("GET", "/v1/meter-exchanges/\(id)", token: f.adminB).status == 404)
        #expect(try f.call("GET", "/v1/meter-exchanges", token: f.adminB).jsonArray.isEmpty)
        #expect(try f.call("GET", "/v1/meter-exchanges?meteringPointId=\(s.point)", token: f.adminB).status == 404)
        // B cannot exchange A's meters: they do not exist for it.
        let theirs = try #require(try f.createMeter(#"{"manufacturer":"KAM","serial":"5","medium":"heat"}"#, token: f.adminB)["id"] as? String)
        var foreign = s
        foreign.old = s.new
        foreign.new = theirs
        #expect(try f.call("POST", "/v1/meter-exchanges", token: f.adminB, body: Self.body(foreign)).status == 404)
        #expect(try f.call("POST", "/v1/meter-exchanges", token: f.adminA, body: Self.body(foreign)).status == 404)
        // A user may look, not exchange.
        #expect(try f.call("POST", "/v1/meter-exchanges", token: f.tokens["user"], body: Self.body(s)).status == 403)
        #expect(try f.call("GET", "/v1/meter-exchanges", token: f.tokens["user"]).status == 200)
        #expect(try f.call("GET", "/v1/meter-exchanges", token: nil).status == 401)
    }
}
