import Foundation
import Testing
@testable import App
@testable import Store
import TestSupport
import HTTPServer
import SQLite

@Suite("Metering points", .serialized, .blockingIO)
struct MeteringPointTests {
    @Test func roundTrip() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let customer = try await f.insertCustomer(f.tenantA.rowID, number: "C-7", name: "Karen Jensen")
        let body = #"{"address":"Søndergade 1","postalCode":"8000","city":"Aarhus","latitude":56.15,"longitude":10.2,"customerId":"\#(customer)"}"#
        let created = try f.call("POST", "/v1/metering-points", token: f.adminA, body: body, headers: [("Idempotency-Key", "p1")])
        #expect(created.status == 201 && created.headers["ETag"] == "\"1\"")
        let id = try #require(created.json["id"] as? String)
        #expect(created.headers["Location"] == "/v1/metering-points/\(id)")
        #expect(created.json["city"] as? String == "Aarhus" && created.json["latitude"] as? Double == 56.15)
        #expect(created.json["meterId"] == nil)
        let owner = try #require(created.json["customer"] as? [String: Any])
        #expect(owner["id"] as? String == customer && owner["customerNumber"] as? String == "C-7" && owner["name"] as? String == "Karen Jensen")
        // A retry with the same key is the same point.
        let replay = try f.call("POST", "/v1/metering-points", token: f.adminA, body: body, headers: [("Idempotency-Key", "p1")])
        #expect(replay.status == 201 && replay.json["id"] as? String == id)

        let got = try f.call("GET", "/v1/metering-points/\(id)", token: f.tokens["user"])
        #expect(got.status == 200 && got.headers["ETag"] == "\"1\"" && (got.json["installations"] as? [Any])?.isEmpty == true)

        // List: search over address, postal code, city, customer number and name; pages.
        let other = try f.createPoint(#"{"address":"Vestergade 2","city":"Odense"}"#)
        let ids = { (r: RawClient.Response) in r.jsonArray.compactMap { $0["id"] as? String } }
        #expect(ids(try f.call("GET", "/v1/metering-points?q=karen", token: f.adminA)) == [id])
        #expect(ids(try f.call("GET", "/v1/metering-points?q=c-7", token: f.adminA)) == [id])
        #expect(ids(try f.call("GET", "/v1/metering-points?q=odense", token: f.adminA)) == [other["id"] as? String ?? ""])
        #expect(ids(try f.call("GET", "/v1/metering-points?q=gade", token: f.adminA)).count == 2)
        let first = try f.call("GET", "/v1/metering-points?limit=1", token: f.adminA)
        let cursor = try #require(first.json["nextCursor"] as? String)
        #expect(ids(first) == [id])
        let second = try f.call("GET", "/v1/metering-points?limit=1&cursor=\(cursor)", token: f.adminA)
        #expect(ids(second) == [other["id"] as? String ?? ""] && second.json["nextCursor"] == nil)
        #expect(try f.call("GET", "/v1/metering-points?cursor=zz", token: f.adminA).status == 400)

        // PATCH: If-Match, partial, empty clears, customer removed and set.
        let stale = try f.call("PATCH", "/v1/metering-points/\(id)", token: f.adminA, body: #"{"city":"X"}"#,
                               headers: [("If-Match", "\"5\"")])
        #expect(stale.status == 412 && stale.headers["ETag"] == "\"1\"")
        let patched = try f.call("PATCH", "/v1/metering-points/\(id)", token: f.adminA,
                                 body: #"{"postalCode":"","city":"Aarhus C","latitude":56.2,"longitude":10.1,"customerId":""}"#,
                                 headers: [("If-Match", "\"1\"")])
        #expect(patched.status == 200 && patched.headers["ETag"] == "\"2\"")
        #expect(patched.json["postalCode"] is NSNull && patched.json["city"] as? String == "Aarhus C")
        #expect(patched.json["address"] as? String == "Søndergade 1" && patched.json["longitude"] as? Double == 10.1)
        #expect(patched.json["customer"] is NSNull)
        let again = try f.call("PATCH", "/v1/metering-points/\(id)", token: f.adminA, body: #"{"customerId":"\#(customer.uppercased())"}"#)
        #expect((again.json["customer"] as? [String: Any])?["customerNumber"] as? String == "C-7")

        // DELETE: If-Match, then gone.
        #expect(try f.call("DELETE", "/v1/metering-points/\(id)", token: f.adminA, headers: [("If-Match", "\"1\"")]).status == 412)
        #expect(try f.call("DELETE", "/v1/metering-points/\(id)", token: f.adminA, headers: [("If-Match", "\"3\"")]).status == 204)
        #expect(try f.call("GET", "/v1/metering-points/\(id)", token: f.adminA).status == 404)
        #expect(try f.call("DELETE", "/v1/metering-points/\(id)", token: f.adminA).status == 404)
        #expect(ids(try f.call("GET", "/v1/metering-points", token: f.adminA)) == [other["id"] as? String ?? ""])
        #expect(try await f.auditCount("type = 'metering-point.created' AND target = '/v1/metering-points/\(id)'") == 1)
        #expect(try await f.auditCount("type = 'metering-point.updated' AND target = '/v1/metering-points/\(id)'") == 2)
        #expect(try await f.auditCount("type = 'metering-point.deleted' AND target = '/v1/metering-points/\(id)'") == 1)
    }

    @Test func validationErrorsNameTheField() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let customerB = try await f.insertCustomer(f.tenantB.rowID, number: "B-1", name: nil)
        let cases: [(String, Int, String)] = [
            (#"{"latitude":56}"#, 422, "/longitude"),
            (#"{"longitude":10}"#, 422, "/latitude"),
            (#"{"latitude":91,"longitude":10}"#, 400, "/latitude"),
            (#"{"latitude":50,"longitude":-181}"#, 400, "/longitude"),
            (#"{"city":"\#(String(repeating: "x", count: 101))"}"#, 400, "/city"),
            (#"{"street":"x"}"#, 400, "/street"),
            (#"{"customerId":"nope"}"#, 400, "/customerId"),
            (#"{"customerId":"\#(customerB)"}"#, 422, "/customerId"),
            (#"{"customerId":"\#(UUID().uuidString)"}"#, 422, "/customerId"),
        ]
        for (body, status, pointer) in cases {
            let response = try f.call("POST", "/v1/metering-points", token: f.adminA, body: body)
            #expect(response.status == status, "\(body): \(response.text)")
            #expect(response.pointers.contains(pointer), "\(body): \(response.text)")
        }
        #expect(try f.call("GET", "/v1/metering-points", token: f.adminA).jsonArray.isEmpty)
        let point = try #require(try f.createPoint()["id"] as? String)
        let patches: [(String, Int, String)] = [
            (#"{"latitude":56}"#, 422, "/longitude"),
            (#"{"customerId":"zzz"}"#, 400, "/customerId"),
            (#"{"customerId":"\#(customerB)"}"#, 422, "/customerId"),
            (#"{"address":7}"#, 400, "/address"),
        ]
        for (body, status, pointer) in patches {
            let response = try f.call("PATCH", "/v1/metering-points/\(point)", token: f.adminA, body: body)
            #expect(response.status == status && response.pointers.contains(pointer), "\(body): \(response.text)")
        }
        #expect(try f.call("GET", "/v1/metering-points/not-a-uuid", token: f.adminA).status == 400)
        #expect(try f.call("GET", "/v1/metering-points?colour=red", token: f.adminA).status == 400)
    }

    @Test func capacityCountsLivePoints() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        try await f.store.setMaxMeteringPoints(tenant: f.tenantA.rowID, 2, audit: AccessFixture.setup)
        let first = try f.createPoint()
        try f.createMeter(#"{"manufacturer":"KAM","serial":"1","medium":"heat","meteringPoint":{"city":"A"}}"#)
        let third = try f.call("POST", "/v1/metering-points", token: f.adminA, body: "{}")
        #expect(third.status == 409 && third.text.contains("limit of 2 metering points"))
        #expect(try f.call("POST", "/v1/meters", token: f.adminA,
                           body: #"{"manufacturer":"KAM","serial":"2","medium":"heat","meteringPoint":{}}"#).status == 409)
        // Installing on an existing point takes no new place.
        let onFirst = try f.call("POST", "/v1/meters", token: f.adminA,
                                 body: #"{"manufacturer":"KAM","serial":"3","medium":"heat","meteringPointId":"\#(first["id"] as? String ?? "")"}"#)
        #expect(onFirst.status == 201)
        let free = try f.createMeter(#"{"manufacturer":"KAM","serial":"4","medium":"heat"}"#)
        #expect(try f.call("PATCH", "/v1/meters/\(free["id"] as? String ?? "")", token: f.adminA,
                           body: #"{"meteringPoint":{"city":"C"}}"#).status == 409)
        // Tenant B is not limited by A.
        #expect(try f.call("POST", "/v1/metering-points", token: f.adminB, body: "{}").status == 201)
    }

    @Test func oneInstalledMeterPerPointAndNoDeleteWhileInstalled() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let point = try #require(try f.createPoint(#"{"city":"Aarhus"}"#)["id"] as? String)
        let meter = try f.call("POST", "/v1/meters", token: f.adminA,
                               body: #"{"manufacturer":"KAM","serial":"1","medium":"heat","meteringPointId":"\#(point)"}"#)
        #expect(meter.status == 201 && meter.json["lifecycle"] as? String == "installed")
        #expect((meter.json["meteringPoint"] as? [String: Any])?["id"] as? String == point)
        #expect((meter.json["meteringPoint"] as? [String: Any])?["city"] as? String == "Aarhus")
        let meterID = try #require(meter.json["id"] as? String)
        #expect(try f.call("GET", "/v1/metering-points/\(point)", token: f.adminA).json["meterId"] as? String == meterID)

        let deleting = try f.call("DELETE", "/v1/metering-points/\(point)", token: f.adminA)
        #expect(deleting.status == 409 && deleting.text.contains(meterID))
        let second = try f.call("POST", "/v1/meters", token: f.adminA,
                                body: #"{"manufacturer":"KAM","serial":"2","medium":"water","meteringPointId":"\#(point)"}"#)
        #expect(second.status == 409)
        let unknown = try f.call("POST", "/v1/meters", token: f.adminA,
                                 body: #"{"manufacturer":"KAM","serial":"2","medium":"water","meteringPointId":"\#(UUID().uuidString)"}"#)
        #expect(unknown.status == 422 && unknown.pointers == ["/meteringPointId"])
        let stock = try f.call("POST", "/v1/meters", token: f.adminA,
                               body: #"{"manufacturer":"KAM","serial":"2","medium":"water","lifecycle":"in-stock","meteringPoint":{"city":"X"}}"#)
        #expect(stock.status == 422 && stock.pointers == ["/lifecycle"])
        #expect(try f.call("GET", "/v1/meters", token: f.adminA).jsonArray.count == 1)
        // With meteringPointId and meteringPoint, the fields update that point.
        let both = try f.call("PATCH", "/v1/meters/\(meterID)", token: f.adminA,
                              body: #"{"meteringPointId":"\#(point)","meteringPoint":{"address":"Åboulevarden 3"}}"#)
        #expect(both.status == 200 && (both.json["meteringPoint"] as? [String: Any])?["address"] as? String == "Åboulevarden 3")
        #expect(try f.installations(point).count == 1)
        // Once the meter is removed, the point can go.
        #expect(try f.call("PATCH", "/v1/meters/\(meterID)", token: f.adminA, body: #"{"lifecycle":"removed"}"#).status == 200)
        #expect(try f.call("DELETE", "/v1/metering-points/\(point)", token: f.adminA).status == 204)
        // A deleted point cannot be installed on.
        let onDeleted = try f.call("PATCH", "/v1/meters/\(meterID)", token: f.adminA, body: #"{"meteringPointId":"\#(point)"}"#)
        #expect(onDeleted.status == 422 && onDeleted.pointers == ["/meteringPointId"])
    }

    @Test func installationsFollowMeterCreatePatchAndDelete() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let a = try f.createMeter(#"{"manufacturer":"KAM","serial":"1","medium":"heat","meteringPoint":{"city":"P","customerNumber":"LEGACY-1"}}"#)
        let aID = try #require(a["id"] as? String)
        let p = try #require((a["meteringPoint"] as? [String: Any])?["id"] as? String)
        #expect((a["meteringPoint"] as? [String: Any])?["customerNumber"] as? String == "LEGACY-1")
        var history = try f.installations(p)
        #expect(history.count == 1 && history[0]["meterId"] as? String == aID && history[0]["removedAt"] is NSNull)
        #expect(history[0]["installedAt"] is String)

        // Removed: the installation closes and the point is free.
        #expect(try f.call("PATCH", "/v1/meters/\(aID)", token: f.adminA, body: #"{"lifecycle":"removed"}"#).status == 200)
        history = try f.installations(p)
        #expect(history.count == 1 && history[0]["removedAt"] is String)
        #expect(try f.call("GET", "/v1/metering-points/\(p)", token: f.adminA).json["meterId"] == nil)

        // Another meter moves in, then moves on to another point.
        let b = try f.createMeter(#"{"manufacturer":"KAM","serial":"2","medium":"heat"}"#)
        let bID = try #require(b["id"] as? String)
        let moved = try f.call("PATCH", "/v1/meters/\(bID)", token: f.adminA, body: #"{"meteringPointId":"\#(p)"}"#)
        #expect(moved.status == 200 && moved.json["lifecycle"] as? String == "installed")
        history = try f.installations(p)
        #expect(history.compactMap { $0["meterId"] as? String } == [bID, aID])
        #expect(history[0]["removedAt"] is NSNull && history[1]["removedAt"] is String)
        let q = try #require(try f.createPoint(#"{"city":"Q"}"#)["id"] as? String)
        #expect(try f.call("PATCH", "/v1/meters/\(bID)", token: f.adminA, body: #"{"meteringPointId":"\#(q)"}"#).status == 200)
        history = try f.installations(p)
        #expect(history.count == 2 && history.allSatisfy { $0["removedAt"] is String })
        #expect(try f.installations(q).count == 1)

        // The point's customer's number shows on the meter; without one, the legacy number.
        let customer = try await f.insertCustomer(f.tenantA.rowID, number: "C-42", name: "Ole")
        #expect(try f.call("PATCH", "/v1/metering-points/\(q)", token: f.adminA, body: #"{"customerId":"\#(customer)"}"#).status == 200)
        let shown = try f.call("GET", "/v1/meters/\(bID)", token: f.adminA).json["meteringPoint"] as? [String: Any]
        #expect(shown?["customerNumber"] as? String == "C-42" && shown?["city"] as? String == "Q")
        #expect(try f.call("GET", "/v1/meters?q=c-42", token: f.adminA).jsonArray.count == 1)

        // A deleted meter's installation closes.
        #expect(try f.call("DELETE", "/v1/meters/\(bID)", token: f.adminA).status == 204)
        history = try f.installations(q)
        #expect(history.count == 1 && history[0]["removedAt"] is String)
        #expect(try f.call("GET", "/v1/metering-points/\(q)", token: f.adminA).json["meterId"] == nil)
        let open: Int? = try await f.sql("SELECT count(*) FROM installations WHERE removed_at IS NULL")
        #expect(open == 0)
        // installed_at is in seconds, like readings.
        let installed: Int64? = try await f.sql("SELECT max(installed_at) FROM installations")
        #expect(abs((installed ?? 0) - Int64(Date().timeIntervalSince1970)) < 600)
    }

    @Test func importInstallsMeters() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let p = try #require(try f.createPoint()["id"] as? String)
        let rows = [#"{"manufacturer":"KAM","serial":"1","medium":"heat","meteringPoint":{"city":"A"}}"#,
                    #"{"manufacturer":"KAM","serial":"2","medium":"heat","meteringPointId":"\#(p)"}"#,
                    #"{"manufacturer":"KAM","serial":"3","medium":"heat","meteringPointId":"\#(p)"}"#,
                    #"{"manufacturer":"KAM","serial":"4","medium":"heat","meteringPointId":"\#(UUID().uuidString)"}"#]
        let response = try f.call("POST", "/v1/meters/import", token: f.adminA, body: #"{"meters":[\#(rows.joined(separator: ","))]}"#)
        #expect(response.status == 200 && response.json["created"] as? Int == 2 && response.json["rejected"] as? Int == 2)
        let rejected = (response.json["rows"] as? [[String: Any]]) ?? []
        #expect(rejected.compactMap { $0["row"] as? Int } == [3, 4])
        let open: Int? = try await f.sql("SELECT count(*) FROM installations WHERE removed_at IS NULL")
        #expect(open == 2)
        #expect(try f.installations(p).count == 1)
    }

    @Test func otherTenantsPointsAreNotFound() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let theirs = try #require(try f.createPoint(#"{"city":"B-town"}"#, token: f.adminB)["id"] as? String)
        #expect(try f.call("GET", "/v1/metering-points/\(theirs)", token: f.adminA).status == 404)
        #expect(try f.call("PATCH", "/v1/metering-points/\(theirs)", token: f.adminA, body: #"{"city":"x"}"#).status == 404)
        #expect(try f.call("DELETE", "/v1/metering-points/\(theirs)", token: f.adminA).status == 404)
        #expect(try f.call("GET", "/v1/metering-points", token: f.adminA).jsonArray.isEmpty)
        let install = try f.call("POST", "/v1/meters", token: f.adminA,
                                 body: #"{"manufacturer":"KAM","serial":"1","medium":"heat","meteringPointId":"\#(theirs)"}"#)
        #expect(install.status == 422 && install.pointers == ["/meteringPointId"])
        #expect(try f.call("GET", "/v1/metering-points/\(theirs)", token: f.adminB).json["city"] as? String == "B-town")
    }

    @Test func permissions() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        #expect(try f.call("POST", "/v1/metering-points", token: f.tokens["user"], body: "{}").status == 403)
        #expect(try f.call("POST", "/v1/metering-points", token: f.tokens["collector"], body: "{}").status == 403)
        #expect(try f.call("POST", "/v1/metering-points", token: nil, body: "{}").status == 401)
        let point = try #require(try f.createPoint(token: f.tokens["superuser"])["id"] as? String)
        #expect(try f.call("GET", "/v1/metering-points", token: f.tokens["user"]).status == 200)
        #expect(try f.call("GET", "/v1/metering-points/\(point)", token: f.tokens["user"]).status == 200)
        #expect(try f.call("PATCH", "/v1/metering-points/\(point)", token: f.tokens["user"], body: #"{"city":"x"}"#).status == 403)
        #expect(try f.call("DELETE", "/v1/metering-points/\(point)", token: f.tokens["user"]).status == 403)
    }
}
