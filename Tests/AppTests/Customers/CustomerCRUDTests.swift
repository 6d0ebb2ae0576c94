import Foundation
import Testing
@testable import App
@testable import Store
import TestSupport
import HTTPServer
import SQLite

@Suite("Customers: CRUD", .serialized, .blockingIO)
struct CustomerCRUDTests {
    static let full = #"{"customerNumber":"C-100","name":"Karen Blixen","phone":"+45 12 34 56 78","email":"karen@example.dk","address":"Rungstedlund 1","postalCode":"2960","city":"Rungsted Kyst"}"#

    @Test func roundTrip() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let created = try f.call("POST", "/v1/customers", token: f.adminA, body: Self.full, headers: [("Idempotency-Key", "c1")])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.json["id"] as? String)
        #expect(created.headers["Location"] == "/v1/customers/\(id)" && created.headers["ETag"] == "\"1\"")
        #expect(created.json["customerNumber"] as? String == "C-100" && created.json["phone"] as? String == "+45 12 34 56 78")
        #expect(created.json["city"] as? String == "Rungsted Kyst" && created.json["createdAt"] is String)
        // The same key and body replays the answer; nothing is created twice.
        let replay = try f.call("POST", "/v1/customers", token: f.adminA, body: Self.full, headers: [("Idempotency-Key", "c1")])
        #expect(replay.status == 201 && replay.text == created.text && replay.headers["Idempotent-Replayed"] == "true")

        let got = try f.call("GET", "/v1/customers/\(id)", token: f.tokens["user"])
        #expect(got.status == 200 && got.headers["ETag"] == "\"1\"" && got.text == created.text)

        // Absent fields stay, given ones change, "" clears; the ETag moves on.
        #expect(try f.call("PATCH", "/v1/customers/\(id)", token: f.adminA, body: #"{"name":"x"}"#,
                           headers: [("If-Match", "\"7\"")]).status == 412)
        let patched = try f.call("PATCH", "/v1/customers/\(id)", token: f.adminA, body: #"{"name":"Karen Dinesen","phone":"","city":"Rungsted"}"#,
                                 headers: [("If-Match", "\"1\"")])
        #expect(patched.status == 200 && patched.headers["ETag"] == "\"2\"", "\(patched.text)")
        #expect(patched.json["name"] as? String == "Karen Dinesen" && patched.json["phone"] is NSNull)
        #expect(patched.json["email"] as? String == "karen@example.dk" && patched.json["city"] as? String == "Rungsted")
        #expect(patched.json["customerNumber"] as? String == "C-100")
        let renumbered = try f.call("PATCH", "/v1/customers/\(id)", token: f.adminA, body: #"{"customerNumber":"C-101"}"#)
        #expect(renumbered.json["customerNumber"] as? String == "C-101" && renumbered.headers["ETag"] == "\"3\"")

        // Delete needs the current version; afterwards the customer is gone and its number free.
        #expect(try f.call("DELETE", "/v1/customers/\(id)", token: f.adminA, headers: [("If-Match", "\"2\"")]).status == 412)
        #expect(try f.call("DELETE", "/v1/customers/\(id)", token: f.adminA, headers: [("If-Match", "\"3\"")]).status == 204)
        #expect(try f.call("GET", "/v1/customers/\(id)", token: f.adminA).status == 404)
        #expect(try f.call("PATCH", "/v1/customers/\(id)", token: f.adminA, body: #"{"name":"y"}"#).status == 404)
        #expect(try f.call("DELETE", "/v1/customers/\(id)", token: f.adminA).status == 404)
        #expect(try f.customers().isEmpty)
        try f.createCustomer(#"{"customerNumber":"C-101"}"#)
        // Every change is audited with the customer as its target.
        #expect(try await f.auditCount("target = '/v1/customers/\(id)' AND type IN ('customer.created', 'customer.updated', 'customer.deleted')") == 4)
    }

    @Test func duplicateNumberIsAConflict() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        try f.createCustomer(#"{"customerNumber":"C-1"}"#)
        let second = try f.createCustomer(#"{"customerNumber":"C-2"}"#)
        let duplicate = try f.call("POST", "/v1/customers", token: f.adminA, body: #"{"customerNumber":"C-1","name":"Other"}"#)
        #expect(duplicate.status == 409 && duplicate.text.contains("C-1"))
        let id = try #require(second["id"] as? String)
        let renumber = try f.call("PATCH", "/v1/customers/\(id)", token: f.adminA, body: #"{"customerNumber":"C-1"}"#)
        #expect(renumber.status == 409)
        #expect(try f.customers().compactMap { $0["customerNumber"] as? String } == ["C-1", "C-2"])
        // Numbers are per tenant.
        #expect(try f.call("POST", "/v1/customers", token: f.adminB, body: #"{"customerNumber":"C-1"}"#).status == 201)
    }

    @Test func validation() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let cases: [(String, String)] = [
            (#"{}"#, "/customerNumber"),
            (#"{"customerNumber":""}"#, "/customerNumber"),
            (#"{"customerNumber":" C-1"}"#, "/customerNumber"),
            (#"{"customerNumber":"\#(String(repeating: "9", count: 65))"}"#, "/customerNumber"),
            (#"{"customerNumber":"C","email":"not-an-address"}"#, "/email"),
            (#"{"customerNumber":"C","email":"a@b"}"#, "/email"),
            (#"{"customerNumber":"C","phone":"12-34-56-78"}"#, "/phone"),
            (#"{"customerNumber":"C","phone":"+45  12345678"}"#, "/phone"),
            (#"{"customerNumber":"C","phone":"+1234567890123456"}"#, "/phone"),
            (#"{"customerNumber":"C","name":""}"#, "/name"),
            (#"{"customerNumber":"C","name":"\#(String(repeating: "n", count: 201))"}"#, "/name"),
            (#"{"customerNumber":"C","postalCode":"\#(String(repeating: "1", count: 21))"}"#, "/postalCode"),
            (#"{"customerNumber":"C","city":7}"#, "/city"),
            (#"{"customerNumber":"C","colour":"red"}"#, "/colour"),
        ]
        for (body, pointer) in cases {
            let response = try f.call("POST", "/v1/customers", token: f.adminA, body: body)
            #expect(response.status == 400 && response.pointers.contains(pointer), "\(body): \(response.text)")
            #expect(response.headers["Content-Type"]?.hasPrefix("application/problem+json") == true)
        }
        let customer = try f.createCustomer(#"{"customerNumber":"C","phone":"12345678"}"#)
        let id = try #require(customer["id"] as? String)
        for (body, pointer) in [(#"{"email":"x@"}"#, "/email"), (#"{"phone":"abc"}"#, "/phone"), (#"{"customerNumber":""}"#, "/customerNumber")] {
            let response = try f.call("PATCH", "/v1/customers/\(id)", token: f.adminA, body: body)
            #expect(response.status == 400 && response.pointers.contains(pointer), "\(body): \(response.text)")
        }
        #expect(try f.call("GET", "/v1/customers/not-a-uuid", token: f.adminA).status == 400)
        #expect(try f.call("GET", "/v1/customers?cursor=zz", token: f.adminA).status == 400)
        #expect(try f.call("GET", "/v1/customers?q=", token: f.adminA).status == 400)
        #expect(try f.customers().count == 1)
    }

    @Test func searchAndPagination() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        try f.createCustomer(#"{"customerNumber":"A-1","name":"Ida Jensen","email":"ida@jensen.dk","city":"Aarhus"}"#)
        try f.createCustomer(#"{"customerNumber":"A-2","name":"Ole Hansen","phone":"+45 87 65 43 21","postalCode":"8000"}"#)
        try f.createCustomer(#"{"customerNumber":"B_3","name":"Per 100%","address":"Vestergade 3"}"#)
        let numbers = { (q: String) in try f.customers("&q=" + q).compactMap { $0["customerNumber"] as? String } }
        #expect(try numbers("jensen") == ["A-1"])
        #expect(try numbers("AARHUS") == ["A-1"])
        #expect(try numbers("87%2065") == ["A-2"])
        #expect(try numbers("800") == ["A-2"])
        #expect(try numbers("vester") == ["B_3"])
        #expect(try numbers("a-") == ["A-1", "A-2"])
        // `%` and `_` are literal, not wildcards.
        #expect(try numbers("100%25") == ["B_3"])
        #expect(try numbers("A_") == [])
        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try f.call("GET", "/v1/customers?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: f.adminA)
            seen += page.jsonArray.compactMap { $0["customerNumber"] as? String }
            cursor = page.json["nextCursor"] as? String
        } while cursor != nil
        #expect(seen == ["A-1", "A-2", "B_3"])
    }

    @Test func deleteReleasesTheMeteringPoints() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let customer = try #require(try f.createCustomer(#"{"customerNumber":"C-9"}"#)["id"] as? String)
        let other = try #require(try f.createCustomer(#"{"customerNumber":"C-10"}"#)["id"] as? String)
        var points: [String] = []
        for serial in ["1", "2", "3"] {
            let meter = try f.createMeter(#"{"manufacturer":"KAM","serial":"\#(serial)","medium":"heat","meteringPoint":{"city":"Odense"}}"#)
            points.append(try #require((meter["meteringPoint"] as? [String: Any])?["id"] as? String))
        }
        try await f.assign(point: points[0], customer: customer)
        try await f.assign(point: points[1], customer: customer)
        try await f.assign(point: points[2], customer: other)
        #expect(try await f.pointCustomer(points[0]) != nil)
        #expect(try f.call("DELETE", "/v1/customers/\(customer)", token: f.adminA).status == 204)
        #expect(try await f.pointCustomer(points[0]) == nil)
        #expect(try await f.pointCustomer(points[1]) == nil)
        #expect(try await f.pointCustomer(points[2]) != nil)
        // The points themselves stay.
        #expect(try f.call("GET", "/v1/meters?limit=500", token: f.adminA).jsonArray.allSatisfy { $0["meteringPoint"] is [String: Any] })
    }

    @Test func tenantIsolation() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let b = try f.createCustomer(#"{"customerNumber":"B-1","name":"Berit"}"#, token: f.adminB)
        let id = try #require(b["id"] as? String)
        #expect(try f.call("GET", "/v1/customers/\(id)", token: f.adminA).status == 404)
        #expect(try f.call("PATCH", "/v1/customers/\(id)", token: f.adminA, body: #"{"name":"mine"}"#).status == 404)
        #expect(try f.call("DELETE", "/v1/customers/\(id)", token: f.adminA).status == 404)
        #expect(try f.call("GET", "/v1/customers/\(id)/export", token: f.adminA).status == 404)
        #expect(try f.customers().isEmpty && f.customers("&q=Berit").isEmpty)
        // The same number in A is no conflict, and an import in A does not touch B's customer.
        #expect(try f.customerCSV("customerNumber;name\nB-1;Anna\n").json["created"] as? Int == 1)
        let still = try f.call("GET", "/v1/customers/\(id)", token: f.adminB)
        #expect(still.status == 200 && still.json["name"] as? String == "Berit" && still.headers["ETag"] == "\"1\"")
    }

    @Test func permissions() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let body = #"{"customerNumber":"P-1"}"#
        #expect(try f.call("POST", "/v1/customers", token: f.tokens["user"], body: body).status == 403)
        #expect(try f.call("POST", "/v1/customers", token: f.tokens["collector"], body: body).status == 403)
        #expect(try f.call("POST", "/v1/customers", token: nil, body: body).status == 401)
        #expect(try f.customerCSV("customerNumber\nP-2\n", token: f.tokens["user"]).status == 403)
        let id = try #require(try f.createCustomer(body, token: f.tokens["superuser"])["id"] as? String)
        #expect(try f.call("GET", "/v1/customers", token: f.tokens["user"]).status == 200)
        #expect(try f.call("GET", "/v1/customers/\(id)", token: f.tokens["user"]).status == 200)
        #expect(try f.call("PATCH", "/v1/customers/\(id)", token: f.tokens["user"], body: #"{"name":"x"}"#).status == 403)
        #expect(try f.call("DELETE", "/v1/customers/\(id)", token: f.tokens["user"]).status == 403)
        #expect(try f.call("GET", "/v1/customers", token: f.tokens["collector"]).status == 403)
        // Export is its own permission: a user has it by default; without it, 403.
        #expect(try f.call("GET", "/v1/customers/\(id)/export", token: f.tokens["user"]).status == 200)
        #expect(try f.call("GET", "/v1/customers/\(id)/export", token: f.tokens["collector"]).status == 403)
        let revoke = try f.call("PUT", "/v1/roles/user/permissions", token: f.adminA, body: #"{"permissions":["view"]}"#)
        #expect(revoke.status == 200, "\(revoke.text)")
        #expect(try f.call("GET", "/v1/customers/\(id)/export", token: f.tokens["user"]).status == 403)
        #expect(try f.call("GET", "/v1/customers/\(id)", token: f.tokens["user"]).status == 200)
    }
}
