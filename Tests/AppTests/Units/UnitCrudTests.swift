import Foundation
import Testing
@testable import App
@testable import Store
import SQLite
import HTTPServer
import TestSupport

@Suite("Collection units: CRUD", .serialized, .blockingIO)
struct UnitCrudTests {
    @Test func capacityDefaultsByTypeAndExplicitCapacityWins() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let expected = ["concentrator": 10_000, "concentrator-1m": 10_000, "mini-concentrator": 25, "4g-bridge": 5,
                        "mbus-master": 250, "field-device": 10_000]
        for (type, capacity) in expected {
            let response = try f.call("POST", "/v1/collection-units", token: f.adminA, body: #"{"type":"\#(type)","name":"u \#(type)"}"#)
            #expect(response.status == 201, "\(type): \(response.text)")
            #expect(response.json["capacity"] as? Int == capacity, "\(type)")
            #expect(response.json["owned"] as? Bool == true && response.json["type"] as? String == type)
            let id = try #require(response.json["id"] as? String)
            #expect(response.headers["Location"] == "/v1/collection-units/\(id)" && response.headers["ETag"] == "\"1\"")
            // Nullable fields are present as null.
            #expect(response.json["address"] is NSNull && response.json["latitude"] is NSNull)
        }
        let explicit = try f.call("POST", "/v1/collection-units", token: f.adminA,
                                  body: #"{"type":"mini-concentrator","name":"Cellar","capacity":40,"address":"Havnegade 3","latitude":55.5,"longitude":9.7,"description":"behind the boiler"}"#)
        #expect(explicit.status == 201 && explicit.json["capacity"] as? Int == 40)
        #expect(explicit.json["latitude"] as? Double == 55.5 && explicit.json["address"] as? String == "Havnegade 3")
        #expect(try await f.auditCount("type = 'collection-unit.created' AND tenant_id = \(f.tenantA.rowID)") == 7)
    }

    @Test func badInputIsRefusedWithPointers() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        func post(_ body: String) throws -> (Int, String) {
            let r = try f.call("POST", "/v1/collection-units", token: f.adminA, body: body)
            return (r.status, r.text)
        }
        let blank = try post(#"{"type":"concentrator","name":"   "}"#)
        #expect(blank.0 == 422 && blank.1.contains("/name"))
        let oneCoordinate = try post(#"{"type":"concentrator","name":"x","latitude":55.1}"#)
        #expect(oneCoordinate.0 == 422 && oneCoordinate.1.contains("/longitude"))
        let farNorth = try post(#"{"type":"concentrator","name":"x","latitude":91,"longitude":9}"#)
        #expect(farNorth.0 == 400 && farNorth.1.contains("/latitude"))
        #expect(try post(#"{"type":"satellite","name":"x"}"#).0 == 400)
        #expect(try post(#"{"name":"x"}"#).0 == 400)
        #expect(try post(#"{"type":"concentrator","name":"x","capacity":0}"#).0 == 400)
        #expect(try post(#"{"type":"concentrator","name":"x","colour":"red"}"#).0 == 400)
        #expect(try f.call("GET", "/v1/collection-units?type=satellite", token: f.adminA).status == 400)
        #expect(try f.call("GET", "/v1/collection-units?cursor=zz", token: f.adminA).status == 400)
        #expect(try f.call("GET", "/v1/collection-units?cursor=c0&limit=0", token: f.adminA).status == 400)
        // Nothing was created by any of them.
        #expect(f.items(try f.call("GET", "/v1/collection-units", token: f.adminA)).isEmpty)
    }

    @Test func updateKeepsTypeHonoursIfMatchAndClears() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let id = try f.createUnit(f.adminA, type: "4g-bridge", extra: #","address":"Skovvej 1","latitude":56,"longitude":10"#)
        let path = "/v1/collection-units/\(id)"
        let changeType = try f.call("PATCH", path, token: f.adminA, body: #"{"type":"concentrator"}"#)
        #expect(changeType.status == 422 && changeType.text.contains("/type"))
        let sameType = try f.call("PATCH", path, token: f.adminA, body: #"{"type":"4g-bridge","name":"Bridge 7","capacity":4}"#,
                                  headers: [("If-Match", "\"1\"")])
        #expect(sameType.status == 200 && sameType.headers["ETag"] == "\"2\"")
        #expect(sameType.json["name"] as? String == "Bridge 7" && sameType.json["capacity"] as? Int == 4)
        #expect(sameType.json["address"] as? String == "Skovvej 1")
        let stale = try f.call("PATCH", path, token: f.adminA, body: #"{"name":"late"}"#, headers: [("If-Match", "\"1\"")])
        #expect(stale.status == 412 && stale.headers["ETag"] == "\"2\"")
        let cleared = try f.call("PATCH", path, token: f.adminA, body: #"{"address":"","latitude":57.25,"longitude":9.5}"#)
        #expect(cleared.status == 200 && cleared.json["address"] is NSNull && cleared.json["latitude"] as? Double == 57.25)
        #expect(try f.call("PATCH", path, token: f.adminA, body: #"{"longitude":9.5}"#).status == 422)
        #expect(try f.call("PATCH", path, token: f.adminA, body: #"{"name":" "}"#).status == 422)
        #expect(try f.call("GET", path, token: f.adminA).json["type"] as? String == "4g-bridge")
    }

    @Test func listFiltersAndPages() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        _ = try f.createUnit(f.adminA, type: "concentrator", name: "Harbour mast")
        _ = try f.createUnit(f.adminA, type: "mini-concentrator", name: "School 100%", extra: #","address":"Harbour road 2""#)
        _ = try f.createUnit(f.adminA, type: "mbus-master", name: "Tower block")
        _ = try f.createUnit(f.adminA, type: "concentrator", name: "Hill")
        func names(_ query: String) throws -> [String] {
            f.items(try f.call("GET", "/v1/collection-units?\(query)", token: f.adminA)).compactMap { $0["name"] as? String }
        }
        #expect(try names("type=concentrator") == ["Harbour mast", "Hill"])
        #expect(try names("q=harbour") == ["Harbour mast", "School 100%"])
        // % and _ are literal, not wildcards.
        #expect(try names("q=100%25") == ["School 100%"])
        #expect(try names("q=1_0").isEmpty)
        #expect(try names("type=concentrator&q=hill") == ["Hill"])
        let first = try f.call("GET", "/v1/collection-units?limit=3", token: f.adminA).json
        #expect((first["items"] as? [Any])?.count == 3)
        let cursor = try #require(first["nextCursor"] as? String)
        let second = try f.call("GET", "/v1/collection-units?limit=3&cursor=\(cursor)", token: f.adminA).json
        #expect((second["items"] as? [[String: Any]])?.first?["name"] as? String == "Hill" && second["nextCursor"] == nil)
    }

    @Test func deleteIsSoftAndRevokesTokens() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let id = try f.createUnit(f.adminA)
        let path = "/v1/collection-units/\(id)"
        let secret = try #require(try f.call("POST", path + "/tokens", token: f.adminA, body: #"{"name":"uplink"}"#).json["secret"] as? String)
        #expect(try f.call("GET", "/v1/me", token: secret).status == 200)
        #expect(try f.call("DELETE", path, token: f.adminA, headers: [("If-Match", "\"7\"")]).status == 412)
        #expect(try f.call("DELETE", path, token: f.adminA, headers: [("If-Match", "\"1\"")]).status == 204)
        #expect(try f.call("GET", path, token: f.adminA).status == 404)
        #expect(try f.call("DELETE", path, token: f.adminA).status == 404)
        #expect(try f.call("PATCH", path, token: f.adminA, body: #"{"name":"x"}"#).status == 404)
        #expect(f.items(try f.call("GET", "/v1/collection-units", token: f.adminA)).isEmpty)
        let me = try f.call("GET", "/v1/me", token: secret)
        #expect(me.status == 401 && me.text.contains("revoked"))
        // The row stays for history; the ingest lookup says it is gone.
        let row = try await f.unitRowID(id)
        #expect(row > 0)
        #expect(try await f.store.unitTenants(unit: row) == nil)
    }

    @Test func permissionsAndTenantIsolation() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let id = try f.createUnit(f.adminA)
        let path = "/v1/collection-units/\(id)"
        // A user views but cannot create, change or delete; a collector cannot even view.
        let user = f.tokens["user"]!
        #expect(try f.call("GET", path, token: user).status == 200)
        #expect(try f.call("GET", "/v1/collection-units", token: user).status == 200)
        #expect(try f.call("POST", "/v1/collection-units", token: user, body: #"{"type":"concentrator","name":"x"}"#).status == 403)
        #expect(try f.call("PATCH", path, token: user, body: #"{"name":"x"}"#).status == 403)
        #expect(try f.call("DELETE", path, token: user).status == 403)
        #expect(try f.call("GET", path, token: f.tokens["collector"]!).status == 403)
        #expect(try f.call("POST", "/v1/collection-units", token: f.tokens["superuser"]!, body: #"{"type":"concentrator","name":"s"}"#).status == 201)
        // Another tenant: it does not exist.
        #expect(try f.call("GET", path, token: f.adminB).status == 404)
        #expect(try f.call("PATCH", path, token: f.adminB, body: #"{"name":"mine"}"#).status == 404)
        #expect(try f.call("DELETE", path, token: f.adminB).status == 404)
        #expect(try f.call("POST", path + "/tokens", token: f.adminB, body: #"{"name":"t"}"#).status == 404)
        #expect(try f.call("POST", path + "/share-codes", token: f.adminB).status == 404)
        #expect(try f.call("GET", path + "/shares", token: f.adminB).status == 404)
        #expect(try f.call("GET", path + "/heard-meters", token: f.adminB).status == 404)
        #expect(!(try f.call("GET", "/v1/collection-units", token: f.adminB).text.contains(id)))
        #expect(try f.call("GET", path, token: f.adminA).json["name"] as? String == "North tower")
    }
}
