import Foundation
import Testing
@testable import App
@testable import Store
import TestSupport
import HTTPServer
import SQLite

@Suite("Meters: CRUD", .serialized, .blockingIO)
struct MeterCRUDTests {
    static let full = """
        {"manufacturer":"KAM","serial":"76348799","version":27,"deviceType":4,"model":"MULTICAL 603","medium":"heat",
         "paths":["fixed-network","drive-by"],"label":"Boiler room","key":"000102030405060708090A0B0C0D0E0F",
         "meteringPoint":{"address":"Søndergade 1","postalCode":"8000","city":"Aarhus","latitude":56.15,"longitude":10.2,
                          "customerNumber":"C-1001"}}
        """

    @Test func roundTrip() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let created = try f.call("POST", "/v1/meters", token: f.adminA, body: Self.full, headers: [("Idempotency-Key", "m1")])
        #expect(created.status == 201)
        let id = try #require(created.json["id"] as? String)
        #expect(created.headers["Location"] == "/v1/meters/\(id)")
        #expect(created.headers["ETag"] == "\"1\"")
        #expect(created.json["manufacturer"] as? String == "KAM" && created.json["serial"] as? String == "76348799")
        #expect(created.json["version"] as? Int == 27 && created.json["deviceType"] as? Int == 4)
        #expect(created.json["paths"] as? [String] == ["drive-by", "fixed-network"])
        #expect(created.json["lifecycle"] as? String == "installed")
        #expect(created.json["hasKey"] as? Bool == true && created.json["key"] == nil)
        #expect(created.json["activeInfoCodes"] as? [String] == [])
        let point = try #require(created.json["meteringPoint"] as? [String: Any])
        #expect(point["city"] as? String == "Aarhus" && point["latitude"] as? Double == 56.15)
        #expect(created.json["primaryAddress"] is NSNull && created.json["secondaryAddress"] is NSNull)

        // A retry with the same key is replayed, not a second meter (nor a 409).
        let replay = try f.call("POST", "/v1/meters", token: f.adminA, body: Self.full, headers: [("Idempotency-Key", "m1")])
        #expect(replay.status == 201 && replay.json["id"] as? String == id)

        let got = try f.call("GET", "/v1/meters/\(id)", token: f.tokens["user"])
        #expect(got.status == 200 && got.headers["ETag"] == "\"1\"" && got.json["label"] as? String == "Boiler room")

        // PATCH: partial, If-Match, metering point fields merged.
        let stale = try f.call("PATCH", "/v1/meters/\(id)", token: f.adminA, body: #"{"label":"x"}"#, headers: [("If-Match", "\"9\"")])
        #expect(stale.status == 412 && stale.headers["ETag"] == "\"1\"")
        let patched = try f.call("PATCH", "/v1/meters/\(id)", token: f.adminA,
                                 body: #"{"label":"Cellar","meteringPoint":{"city":"Aarhus C"}}"#,
                                 headers: [("If-Match", "\"1\"")])
        #expect(patched.status == 200 && patched.headers["ETag"] == "\"2\"")
        #expect(patched.json["label"] as? String == "Cellar" && patched.json["lifecycle"] as? String == "installed")
        #expect(patched.json["model"] as? String == "MULTICAL 603")
        let patchedPoint = try #require(patched.json["meteringPoint"] as? [String: Any])
        #expect(patchedPoint["city"] as? String == "Aarhus C" && patchedPoint["address"] as? String == "Søndergade 1")
        #expect(patchedPoint["id"] as? String == point["id"] as? String)
        // Removed: it leaves its metering point (a removed meter with a point is refused).
        let both = try f.call("PATCH", "/v1/meters/\(id)", token: f.adminA,
                              body: #"{"lifecycle":"removed","meteringPoint":{"city":"X"}}"#)
        #expect(both.status == 422 && both.pointers == ["/lifecycle"])
        let removed = try f.call("PATCH", "/v1/meters/\(id)", token: f.adminA, body: #"{"lifecycle":"removed"}"#,
                                 headers: [("If-Match", "\"2\"")])
        #expect(removed.status == 200 && removed.json["lifecycle"] as? String == "removed" && removed.json["meteringPoint"] is NSNull)

        // DELETE: If-Match, then gone; its key row is destroyed.
        #expect(try f.call("DELETE", "/v1/meters/\(id)", token: f.adminA, headers: [("If-Match", "\"1\"")]).status == 412)
        #expect(try f.call("DELETE", "/v1/meters/\(id)", token: f.adminA, headers: [("If-Match", "\"3\"")]).status == 204)
        #expect(try f.call("GET", "/v1/meters/\(id)", token: f.adminA).status == 404)
        #expect(try f.call("DELETE", "/v1/meters/\(id)", token: f.adminA).status == 404)
        let keys: Int = try await f.store.pool.read { try $0.scalar("SELECT count(*) FROM meter_keys") ?? -1 }
        #expect(keys == 0)
        // The address is free again.
        #expect(try f.call("POST", "/v1/meters", token: f.adminA, body: Self.full).status == 201)
        // Audited, in tenant A.
        #expect(try await f.auditCount("type = 'meter.created' AND tenant_id = \(f.tenantA.rowID)") == 2)
        #expect(try await f.auditCount("type = 'meter.updated' AND target = '/v1/meters/\(id)'") == 2)
        #expect(try await f.auditCount("type = 'meter.deleted' AND target = '/v1/meters/\(id)'") == 1)
    }

    @Test func validationErrorsNameTheField() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let cases: [(String, String)] = [
            (#"{"manufacturer":"kam","serial":"1","medium":"heat"}"#, "/manufacturer"),
            (#"{"manufacturer":"KAMX","serial":"1","medium":"heat"}"#, "/manufacturer"),
            (#"{"manufacturer":"KAM","serial":"12-34","medium":"heat"}"#, "/serial"),
            (#"{"manufacturer":"KAM","serial":"12345678901234567","medium":"heat"}"#, "/serial"),
            (#"{"manufacturer":"KAM","serial":"1","medium":"gas"}"#, "/medium"),
            (#"{"manufacturer":"KAM","serial":"1","medium":"heat","lifecycle":"lost"}"#, "/lifecycle"),
            (#"{"manufacturer":"KAM","serial":"1","medium":"heat","key":"0011"}"#, "/key"),
            (#"{"manufacturer":"KAM","serial":"1","medium":"heat","key":"000102030405060708090A0B0C0D0E0G"}"#, "/key"),
            (#"{"manufacturer":"KAM","serial":"1","medium":"heat","version":256}"#, "/version"),
            (#"{"manufacturer":"KAM","serial":"1","medium":"heat","primaryAddress":251}"#, "/primaryAddress"),
            (#"{"manufacturer":"KAM","serial":"1","medium":"heat","secondaryAddress":"1234"}"#, "/secondaryAddress"),
            (#"{"manufacturer":"KAM","serial":"1","medium":"heat","paths":["carrier-pigeon"]}"#, "/paths/0"),
            (#"{"manufacturer":"KAM","serial":"1","medium":"heat","meteringPoint":{"latitude":91}}"#, "/meteringPoint/latitude"),
            (#"{"manufacturer":"KAM","serial":"1","medium":"heat","meteringPoint":{"longitude":-180.5}}"#, "/meteringPoint/longitude"),
            (#"{"manufacturer":"KAM","serial":"1","medium":"heat","colour":"red"}"#, "/colour"),
            (#"{"manufacturer":"KAM","serial":"1","medium":"heat","meteringPoint":{"street":"x"}}"#, "/meteringPoint/street"),
            (#"{"serial":"1","medium":"heat"}"#, "/manufacturer"),
        ]
        for (body, pointer) in cases {
            let response = try f.call("POST", "/v1/meters", token: f.adminA, body: body)
            #expect(response.status == 400, "\(body)")
            #expect(response.pointers.contains(pointer), "\(body): \(response.text)")
        }
        // PATCH validates the same way; nothing was created by any of the above.
        let meter = try f.createMeter(#"{"manufacturer":"KAM","serial":"1","medium":"heat"}"#)
        let id = try #require(meter["id"] as? String)
        let bad = try f.call("PATCH", "/v1/meters/\(id)", token: f.adminA, body: #"{"key":"xyz","serial":""}"#)
        #expect(bad.status == 400 && bad.pointers.contains("/key") && bad.pointers.contains("/serial"))
        #expect(try f.call("GET", "/v1/meters?limit=500", token: f.adminA).jsonArray.count == 1)
        #expect(try f.call("GET", "/v1/meters/not-a-uuid", token: f.adminA).status == 400)
    }

    @Test func duplicateAddressIsAConflict() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        try f.createMeter(#"{"manufacturer":"KAM","serial":"123","version":1,"deviceType":4,"medium":"heat"}"#)
        let again = try f.call("POST", "/v1/meters", token: f.adminA,
                               body: #"{"manufacturer":"KAM","serial":"123","version":1,"deviceType":4,"medium":"water"}"#)
        #expect(again.status == 409 && again.text.contains("KAM 123"))
        // Another version or device type is another meter; so is "unknown".
        try f.createMeter(#"{"manufacturer":"KAM","serial":"123","version":2,"deviceType":4,"medium":"heat"}"#)
        let other = try f.createMeter(#"{"manufacturer":"KAM","serial":"123","medium":"heat"}"#)
        #expect(try f.call("POST", "/v1/meters", token: f.adminA, body: #"{"manufacturer":"KAM","serial":"123","medium":"heat"}"#).status == 409)
        // PATCH into an existing address is refused too.
        let id = try #require(other["id"] as? String)
        let clash = try f.call("PATCH", "/v1/meters/\(id)", token: f.adminA, body: #"{"version":1,"deviceType":4}"#)
        #expect(clash.status == 409)
        // Another tenant may have the same meter.
        #expect(try f.call("POST", "/v1/meters", token: f.adminB, body: #"{"manufacturer":"KAM","serial":"123","version":1,"deviceType":4,"medium":"heat"}"#).status == 201)
    }

    @Test func meteringPointCapacity() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        try await f.store.setMaxMeteringPoints(tenant: f.tenantA.rowID, 2, audit: AccessFixture.setup)
        #expect(try f.call("GET", "/v1/tenant", token: f.adminA).json["maxMeteringPoints"] as? Int == 2)
        let first = try f.createMeter(#"{"manufacturer":"KAM","serial":"1","medium":"heat","meteringPoint":{"city":"A"}}"#)
        try f.createMeter(#"{"manufacturer":"KAM","serial":"2","medium":"heat","meteringPoint":{"city":"B"}}"#)
        let third = try f.call("POST", "/v1/meters", token: f.adminA, body: #"{"manufacturer":"KAM","serial":"3","medium":"heat","meteringPoint":{"city":"C"}}"#)
        #expect(third.status == 409 && third.text.contains("limit of 2 metering points"))
        // Meters without a metering point (in stock) do not count.
        let stock = try f.createMeter(#"{"manufacturer":"KAM","serial":"3","medium":"heat"}"#)
        #expect(stock["lifecycle"] as? String == "in-stock" && stock["meteringPoint"] is NSNull)
        // Giving it one later is refused the same way...
        let stockID = try #require(stock["id"] as? String)
        #expect(try f.call("PATCH", "/v1/meters/\(stockID)", token: f.adminA, body: #"{"meteringPoint":{"city":"C"}}"#).status == 409)
        // Deleting a meter leaves its metering point (and its place in the limit)...
        #expect(try f.call("DELETE", "/v1/meters/\(try #require(first["id"] as? String))", token: f.adminA).status == 204)
        #expect(try f.call("PATCH", "/v1/meters/\(stockID)", token: f.adminA, body: #"{"meteringPoint":{"city":"C"}}"#).status == 409)
        // ...until the metering point is deleted too.
        let firstPoint = try #require((first["meteringPoint"] as? [String: Any])?["id"] as? String)
        #expect(try f.call("DELETE", "/v1/metering-points/\(firstPoint)", token: f.adminA).status == 204)
        let placed = try f.call("PATCH", "/v1/meters/\(stockID)", token: f.adminA, body: #"{"meteringPoint":{"city":"C"}}"#)
        #expect(placed.status == 200 && (placed.json["meteringPoint"] as? [String: Any])?["city"] as? String == "C")
        #expect(placed.json["lifecycle"] as? String == "installed")
        // Tenant B is unaffected by A's limit.
        #expect(try f.call("POST", "/v1/meters", token: f.adminB, body: #"{"manufacturer":"KAM","serial":"9","medium":"heat","meteringPoint":{"city":"C"}}"#).status == 201)
    }

    @Test func otherTenantsMetersAreNotFound() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let b = try f.createMeter(#"{"manufacturer":"KAM","serial":"555","medium":"heat","key":"000102030405060708090A0B0C0D0E0F"}"#,
                                  token: f.adminB)
        let id = try #require(b["id"] as? String)
        #expect(try f.call("GET", "/v1/meters/\(id)", token: f.adminA).status == 404)
        #expect(try f.call("PATCH", "/v1/meters/\(id)", token: f.adminA, body: #"{"label":"mine"}"#).status == 404)
        #expect(try f.call("DELETE", "/v1/meters/\(id)", token: f.adminA).status == 404)
        #expect(try f.call("PUT", "/v1/meters/\(id)/key", token: f.adminA, body: #"{"key":"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"}"#).status == 404)
        #expect(try f.call("DELETE", "/v1/meters/\(id)/key", token: f.adminA).status == 404)
        #expect(try f.call("GET", "/v1/meters/\(id)/key-status", token: f.adminA).status == 404)
        #expect(try f.call("GET", "/v1/meters?limit=500", token: f.adminA).jsonArray.isEmpty)
        #expect(try f.call("GET", "/v1/meters?q=555", token: f.adminA).jsonArray.isEmpty)
        // B's meter is untouched.
        let still = try f.call("GET", "/v1/meters/\(id)", token: f.adminB)
        #expect(still.status == 200 && still.json["label"] is NSNull && still.json["hasKey"] as? Bool == true)
        #expect(still.headers["ETag"] == "\"1\"")
    }

    @Test func permissions() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let body = #"{"manufacturer":"KAM","serial":"1","medium":"heat"}"#
        #expect(try f.call("POST", "/v1/meters", token: f.tokens["user"], body: body).status == 403)
        #expect(try f.call("POST", "/v1/meters", token: f.tokens["collector"], body: body).status == 403)
        #expect(try f.call("POST", "/v1/meters", token: nil, body: body).status == 401)
        #expect(try f.call("POST", "/v1/meters/import", token: f.tokens["user"], body: #"{"meters":[]}"#).status == 403)
        let meter = try f.createMeter(body, token: f.tokens["superuser"])
        let id = try #require(meter["id"] as? String)
        #expect(try f.call("GET", "/v1/meters", token: f.tokens["user"]).status == 200)
        #expect(try f.call("PATCH", "/v1/meters/\(id)", token: f.tokens["user"], body: #"{"label":"x"}"#).status == 403)
        #expect(try f.call("DELETE", "/v1/meters/\(id)", token: f.tokens["user"]).status == 403)
        #expect(try f.call("PUT", "/v1/meters/\(id)/key", token: f.tokens["user"], body: #"{"key":"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"}"#).status == 403)
        #expect(try f.call("GET", "/v1/meters", token: f.tokens["collector"]).status == 403)
    }

    @Test func filtersAndPagination() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        try f.createMeter(#"{"manufacturer":"KAM","serial":"1001","medium":"heat","model":"MULTICAL 603","meteringPoint":{"city":"Aarhus","postalCode":"8000"}}"#)
        try f.createMeter(#"{"manufacturer":"KAM","serial":"1002","medium":"water","model":"MULTICAL 21","label":"Garden_tap","lifecycle":"in-stock"}"#)
        let third = try f.createMeter(#"{"manufacturer":"DME","serial":"2001","medium":"electricity","meteringPoint":{"customerNumber":"CUST-77","address":"Vestergade 100%"}}"#)
        let ids = { (r: RawClient.Response) in r.jsonArray.compactMap { $0["serial"] as? String } }
        #expect(ids(try f.call("GET", "/v1/meters?q=multical", token: f.adminA)) == ["1001", "1002"])
        #expect(ids(try f.call("GET", "/v1/meters?q=aarhus", token: f.adminA)) == ["1001"])
        #expect(ids(try f.call("GET", "/v1/meters?q=cust-7", token: f.adminA)) == ["2001"])
        #expect(ids(try f.call("GET", "/v1/meters?q=dme", token: f.adminA)) == ["2001"])
        #expect(ids(try f.call("GET", "/v1/meters?q=800", token: f.adminA)) == ["1001"])
        #expect(ids(try f.call("GET", "/v1/meters?q=n_t", token: f.adminA)) == ["1002"])
        // `%` and `_` are literal, not wildcards.
        #expect(ids(try f.call("GET", "/v1/meters?q=100%25", token: f.adminA)) == ["2001"])
        #expect(ids(try f.call("GET", "/v1/meters?q=ul_ical", token: f.adminA)) == [])
        #expect(ids(try f.call("GET", "/v1/meters?medium=water", token: f.adminA)) == ["1002"])
        #expect(ids(try f.call("GET", "/v1/meters?lifecycle=installed", token: f.adminA)) == ["1001", "2001"])
        #expect(ids(try f.call("GET", "/v1/meters?lifecycle=installed&medium=heat", token: f.adminA)) == ["1001"])
        // Info codes are written by ingest; set one directly.
        let thirdID = try #require(third["id"] as? String)
        try await f.store.pool.write { conn in
            _ = try conn.execute("UPDATE meters SET active_info_codes = 'leak,dry' WHERE public_id = ?", [thirdID])
        }
        #expect(ids(try f.call("GET", "/v1/meters?hasActiveInfoCodes=true", token: f.adminA)) == ["2001"])
        #expect(ids(try f.call("GET", "/v1/meters?hasActiveInfoCodes=false", token: f.adminA)) == ["1001", "1002"])
        #expect(try f.call("GET", "/v1/meters/\(thirdID)", token: f.adminA).json["activeInfoCodes"] as? [String] == ["leak", "dry"])
        // Pages in id order, each seen once.
        var seen: [String] = []
        var path = "/v1/meters?limit=2"
        while true {
            let page = try f.call("GET", path, token: f.adminA)
            #expect(page.status == 200)
            seen += ids(page)
            guard let next = page.json["nextCursor"] as? String else { break }
            path = "/v1/meters?limit=2&cursor=\(next)"
        }
        #expect(seen == ["1001", "1002", "2001"])
        #expect(try f.call("GET", "/v1/meters?medium=gas", token: f.adminA).status == 400)
        #expect(try f.call("GET", "/v1/meters?group=x", token: f.adminA).status == 400)
        #expect(try f.call("GET", "/v1/meters?cursor=x1", token: f.adminA).status == 400)
    }
}
