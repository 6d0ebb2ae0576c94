import Foundation
import Testing
@testable import App
@testable import Store
import SQLite
import HTTPServer
import API
import TestSupport

@Suite("Collection units: sharing", .serialized, .blockingIO)
struct UnitShareTests {
    @Test func codesAreRedeemedOnceAndEveryRefusalLooksTheSame() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let unit = try f.createUnit(f.adminA, name: "Shared mast")
        let codes = "/v1/collection-units/\(unit)/share-codes"
        let made = try f.call("POST", codes, token: f.adminA)
        #expect(made.status == 201 && made.json["unitId"] as? String == unit)
        let code = try #require(made.json["code"] as? String)
        #expect(code.hasPrefix("fjs_") && code.utf8.count == 47)
        let expires = try #require((made.json["expiresAt"] as? String).flatMap { RFC3339.parseDateTime($0) })
        #expect(abs(expires.timeIntervalSinceNow - 7 * 86400) < 120)
        // The owner cannot redeem its own code; it stays usable.
        let own = try f.call("POST", "/v1/collection-unit-shares", token: f.adminA, body: #"{"code":"\#(code)"}"#)
        #expect(own.status == 404)
        let redeemed = try f.call("POST", "/v1/collection-unit-shares", token: f.adminB, body: #"{"code":"\#(code)"}"#)
        #expect(redeemed.status == 201 && redeemed.json["owned"] as? Bool == false && redeemed.json["id"] as? String == unit)
        #expect(redeemed.headers["Location"] == "/v1/collection-units/\(unit)")
        // Used: the same answer as unknown, malformed, expired.
        let used = try f.call("POST", "/v1/collection-unit-shares", token: f.adminB, body: #"{"code":"\#(code)"}"#)
        let unknown = try f.call("POST", "/v1/collection-unit-shares", token: f.adminB,
                                 body: #"{"code":"fjs_\#(String(repeating: "A", count: 43))"}"#)
        #expect([used, unknown].allSatisfy { $0.status == 404 })
        #expect(used.json["detail"] as? String == own.json["detail"] as? String)
        #expect(unknown.json["detail"] as? String == own.json["detail"] as? String)
        // Not even the shape of a code: the contract says so.
        let malformed = try f.call("POST", "/v1/collection-unit-shares", token: f.adminB, body: #"{"code":"hello"}"#)
        #expect(malformed.status == 400 && malformed.text.contains("/code"))
        // Already shared: 409, and the new code is not spent.
        let second = try #require(try f.call("POST", codes, token: f.adminA).json["code"] as? String)
        #expect(try f.call("POST", "/v1/collection-unit-shares", token: f.adminB, body: #"{"code":"\#(second)"}"#).status == 409)
        let unspent: Int = try await f.store.pool.read { try $0.scalar("SELECT count(*) FROM share_codes WHERE redeemed_at IS NULL") ?? -1 }
        #expect(unspent == 1)
        // Expired.
        let tenantC = try await f.store.createTenant(name: "C", timeZone: "UTC", audit: AccessFixture.setup)
        let adminC = try await f.token(tenantC.rowID, role: "administrator")
        _ = try await f.store.pool.write { try $0.execute("UPDATE share_codes SET expires_at = 1 WHERE redeemed_at IS NULL", []) }
        #expect(try f.call("POST", "/v1/collection-unit-shares", token: adminC, body: #"{"code":"\#(second)"}"#).status == 404)
        // Permission: configure (a plain user lacks it).
        let userB = try await f.token(f.tenantB.rowID, role: "user")
        #expect(try f.call("POST", "/v1/collection-unit-shares", token: userB, body: #"{"code":"\#(second)"}"#).status == 403)
        #expect(try f.call("POST", codes, token: f.tokens["user"]!).status == 403)
        // Ingest routes the unit's telegrams to both tenants.
        let tenants = try #require(try await f.store.unitTenants(unit: try await f.unitRowID(unit)))
        #expect(tenants.owner == f.tenantA.rowID && tenants.sharers == [f.tenantB.rowID])
        // Audited on both sides; the owner's log names the tenant, not its people.
        #expect(try await f.auditCount("tenant_id = \(f.tenantB.rowID) AND type = 'collection-unit.share-joined'") == 1)
        #expect(try await f.auditCount("tenant_id = \(f.tenantA.rowID) AND type = 'collection-unit.shared' AND principal = 'tenant B' AND user_public_id IS NULL") == 1)
    }

    @Test func aSharingTenantSeesButCannotChange() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let unit = try f.createUnit(f.adminA, name: "Water tower")
        let own = try f.createUnit(f.adminB, name: "B's own")
        try f.share(unit, owner: f.adminA, with: f.adminB)
        let path = "/v1/collection-units/\(unit)"
        let list = f.items(try f.call("GET", "/v1/collection-units", token: f.adminB))
        #expect(list.map { $0["id"] as? String } == [unit, own])
        #expect(list.map { $0["owned"] as? Bool } == [false, true])
        let userB = try await f.token(f.tenantB.rowID, role: "user")
        #expect(try f.call("GET", path, token: userB).json["owned"] as? Bool == false)
        for (method, suffix, body) in [("PATCH", "", #"{"name":"ours now"}"#), ("DELETE", "", nil), ("POST", "/share-codes", nil),
                                       ("GET", "/shares", nil)] as [(String, String, String?)] {
            let response = try f.call(method, path + suffix, token: f.adminB, body: body)
            #expect(response.status == 403, "\(method) \(suffix)")
            #expect(response.text.contains("owner"), "\(method) \(suffix)")
        }
        // The owner's view is unchanged, and lists B.
        #expect(try f.call("GET", path, token: f.adminA).json["name"] as? String == "Water tower")
        let shares = f.items(try f.call("GET", path + "/shares", token: f.adminA))
        #expect(shares.count == 1 && shares.first?["tenantName"] as? String == "B")
        #expect(shares.first?["tenantId"] as? String == f.tenantB.id.uuidString.lowercased())
        // A's own-unit list shows no foreign unit; a third tenant sees nothing.
        #expect(!(try f.call("GET", "/v1/collection-units", token: f.adminA).text.contains(own)))
        let tenantC = try await f.store.createTenant(name: "C", timeZone: "UTC", audit: AccessFixture.setup)
        let adminC = try await f.token(tenantC.rowID, role: "administrator")
        #expect(try f.call("GET", path, token: adminC).status == 404)
    }

    @Test func theOwnerRevokesAndTheSharerLeaves() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let unit = try f.createUnit(f.adminA)
        let tenantC = try await f.store.createTenant(name: "C", timeZone: "UTC", audit: AccessFixture.setup)
        let adminC = try await f.token(tenantC.rowID, role: "administrator")
        try f.share(unit, owner: f.adminA, with: f.adminB)
        try f.share(unit, owner: f.adminA, with: adminC)
        let path = "/v1/collection-units/\(unit)"
        let b = f.tenantB.id.uuidString.lowercased(), c = tenantC.id.uuidString.lowercased()
        // B may not end C's share, nor learn whether C shares it.
        #expect(try f.call("DELETE", path + "/shares/\(c)", token: f.adminB).status == 403)
        #expect(try f.call("DELETE", path + "/shares/\(UUID().uuidString.lowercased())", token: f.adminB).status == 403)
        // B leaves.
        #expect(try f.call("DELETE", path + "/shares/\(b)", token: f.adminB).status == 204)
        #expect(try f.call("GET", path, token: f.adminB).status == 404)
        #expect(try f.call("DELETE", path + "/shares/\(b)", token: f.adminB).status == 404)
        #expect(try await f.auditCount("tenant_id = \(f.tenantA.rowID) AND type = 'collection-unit.share-left'") == 1)
        #expect(try await f.auditCount("tenant_id = \(f.tenantB.rowID) AND type = 'collection-unit.share-left'") == 1)
        // The owner revokes C.
        #expect(try f.call("DELETE", path + "/shares/\(b)", token: f.adminA).status == 404)
        #expect(try f.call("DELETE", path + "/shares/\(c)", token: f.tokens["user"]!).status == 403)
        #expect(try f.call("DELETE", path + "/shares/\(c)", token: f.adminA).status == 204)
        #expect(try f.call("GET", path, token: adminC).status == 404)
        #expect(try await f.auditCount("tenant_id = \(tenantC.rowID) AND type = 'collection-unit.share-ended'") == 1)
        #expect(f.items(try f.call("GET", path + "/shares", token: f.adminA)).isEmpty)
        #expect(try await f.store.unitTenants(unit: try await f.unitRowID(unit))?.sharers == [])
        // Deleting a shared unit ends its shares and spends its outstanding codes.
        try f.share(unit, owner: f.adminA, with: f.adminB)
        let pending = try #require(try f.call("POST", path + "/share-codes", token: f.adminA).json["code"] as? String)
        #expect(try f.call("DELETE", path, token: f.adminA).status == 204)
        #expect(try f.call("GET", path, token: f.adminB).status == 404)
        #expect(try f.call("POST", "/v1/collection-unit-shares", token: adminC, body: #"{"code":"\#(pending)"}"#).status == 404)
        #expect(try await f.auditCount("tenant_id = \(f.tenantB.rowID) AND type = 'collection-unit.share-ended'") == 1)
    }
}
