import Foundation
import Testing
import API
@testable import App
@testable import Store
import HTTPServer
import SQLite
import TestSupport

@Suite("Access: audit log and API conventions", .serialized, .blockingIO)
struct AuditAndConventionTests {
    /// A valid request for every mutating operation. A new mutating operation without an entry
    /// fails this test, so the audit guarantee covers it from the first day.
    func validRequest(_ id: String, _ f: AccessFixture, units: UnitAuditSetup, meter: String = "") throws -> (body: String?, path: [String: String]) {
        let user = f.victimUserA.uuidString.lowercased(), token = f.victimTokenA.uuidString.lowercased()
        switch id {
        case "updateTenant": return (#"{"name":"A prime","timeZone":"Europe/Oslo"}"#, [:])
        case "createUser": return (#"{"name":"Nina","email":"nina@a.example","role":"user"}"#, [:])
        case "updateUser": return (#"{"name":"Victor V."}"#, ["userId": user])
        case "deleteUser": return (nil, ["userId": user])
        case "createToken": return (#"{"name":"billing","role":"user"}"#, [:])
        case "updateToken": return (#"{"name":"renamed"}"#, ["tokenId": token])
        case "revokeToken": return (nil, ["tokenId": token])
        case "setRolePermissions": return (#"{"permissions":["view"]}"#, ["role": "superuser"])
        case "createCollectionUnit": return (#"{"type":"concentrator","name":"Mast"}"#, [:])
        case "updateCollectionUnit": return (#"{"name":"Mast 2"}"#, ["unitId": units.unit])
        case "deleteCollectionUnit": return (nil, ["unitId": units.doomed])
        case "createCollectionUnitToken": return (#"{"name":"uplink"}"#, ["unitId": units.unit])
        case "createShareCode": return (nil, ["unitId": units.unit])
        case "redeemShareCode": return (#"{"code":"\#(units.codeFromB)"}"#, [:])
        case "deleteCollectionUnitShare": return (nil, ["unitId": units.sharedWithB, "tenantId": f.tenantB.id.uuidString.lowercased()])
        case "createMeter": return (#"{"manufacturer":"KAM","serial":"2","medium":"heat"}"#, [:])
        case "importMeters": return (#"{"meters":[{"manufacturer":"KAM","serial":"3","medium":"heat"}]}"#, [:])
        case "importMetersCSV": return ("manufacturer;serial;medium\nKAM;4;heat\n", [:])
        case "updateMeter": return (#"{"label":"x"}"#, ["meterId": meter])
        case "deleteMeter": return (nil, ["meterId": meter])
        case "setMeterKey": return (#"{"key":"000102030405060708090A0B0C0D0E0F"}"#, ["meterId": meter])
        case "deleteMeterKey": return (nil, ["meterId": meter])
        // Metering points and exchanges: their targets are made here, before the count is taken.
        case "createMeteringPoint": return (#"{"city":"Aarhus"}"#, [:])
        case "updateMeteringPoint": return (#"{"city":"Odense"}"#, ["meteringPointId": try f.createPoint()["id"] as? String ?? ""])
        case "deleteMeteringPoint": return (nil, ["meteringPointId": try f.createPoint()["id"] as? String ?? ""])
        case "createMeterExchange":
            let old = try f.createMeter(#"{"manufacturer":"KAM","serial":"90","medium":"heat","meteringPoint":{}}"#)["id"] as? String ?? ""
            let new = try f.createMeter(#"{"manufacturer":"KAM","serial":"91","medium":"heat"}"#)["id"] as? String ?? ""
            return (#"{"oldMeterId":"\#(old)","newMeterId":"\#(new)","exchangedAt":"\#(rfc3339(Date()))"}"#, [:])
        case "createGroup": return (#"{"name":"West area"}"#, [:])
        case "updateGroup": return (#"{"name":"East area"}"#, ["groupId": try f.createGroup("Renamed later")])
        case "deleteGroup": return (nil, ["groupId": try f.createGroup("Doomed group")])
        case "addGroupMembers": return (#"{"meterIds":["\#(meter)"]}"#, ["groupId": try f.createGroup("Joined")])
        case "removeGroupMembers":
            let group = try f.createGroup("Left")
            _ = try f.call("POST", "/v1/groups/\(group)/members", token: f.adminA, body: #"{"meterIds":["\#(meter)"]}"#)
            return (#"{"meterIds":["\#(meter)"]}"#, ["groupId": group])
        case "setPriorityMeter":
            _ = try f.call("DELETE", "/v1/priority-meters/\(meter)", token: f.adminA)
            return (nil, ["meterId": meter])
        case "unsetPriorityMeter":
            _ = try f.call("PUT", "/v1/priority-meters/\(meter)", token: f.adminA)
            return (nil, ["meterId": meter])
        case "createCustomer": return (#"{"customerNumber":"AUD-0"}"#, [:])
        case "importCustomers": return ("customerNumber;name\nAUD-3;Ida\n", [:])
        case "updateCustomer": return (#"{"name":"x"}"#, ["customerId": try customer("AUD-1", f)])
        case "deleteCustomer": return (nil, ["customerId": try customer("AUD-2", f)])
        case "createConsumptionAlert": return (Self.alertBody(meter), [:])
        case "replaceConsumptionAlert": return (Self.alertBody(meter), ["alertId": try alert(f, meter)])
        case "deleteConsumptionAlert": return (nil, ["alertId": try alert(f, meter)])
        case "resetConsumptionAlert": return ("{}", ["alertId": try alert(f, meter)])
        case "createWebhook": return (Self.webhookBody, [:])
        case "updateWebhook": return (#"{"description":"billing"}"#, ["webhookId": try webhook(f)])
        case "deleteWebhook": return (nil, ["webhookId": try webhook(f)])
        case "rotateWebhookSecret": return (nil, ["webhookId": try webhook(f)])
        // Notifications.
        case "replaceNotificationChannels":
            return (#"{"sms":{"url":"https://sms.example/send","bodyTemplate":"to={to}&text={text}","format":"form"}}"#, [:])
        case "createNotificationRule": return (#"{"recipient":"+4551449281","channel":"sms"}"#, [:])
        case "updateNotificationRule": return (#"{"active":false}"#, ["ruleId": try notificationRule(f)])
        case "deleteNotificationRule": return (nil, ["ruleId": try notificationRule(f)])
        case "testNotificationRule": return (nil, ["ruleId": try notificationRule(f)])
        case "importKeyFile": return (nil, [:])
        case "putKeySyncSettings": return (#"{"baseUrl":"https://keys.example","token":"t"}"#, [:])
        case "startKeySyncRun":
            // A key server that refuses at once: the failed run changes nothing, so only its start is audited.
            _ = try f.call("PUT", "/v1/key-sync/settings", token: f.adminA, body: #"{"baseUrl":"http://127.0.0.1:1"}"#)
            return (nil, [:])
        default:
            Issue.record("no valid request for the mutating operation \(id): add one here")
            return (nil, [:])
        }
    }

    static func alertBody(_ meter: String) -> String {
        #"{"name":"Audit","register":"volumeM3","limit":1,"period":"day","meterId":"\#(meter)","start":"2026-01-01T00:00:00Z"}"#
    }

    static let webhookBody = #"{"url":"https://hooks.example/audit","eventTypes":["reading.created"]}"#

    /// A new consumption alert of tenant A (created before the operation's audit count is taken).
    func alert(_ f: AccessFixture, _ meter: String) throws -> String {
        try f.call("POST", "/v1/consumption-alerts", token: f.adminA, body: Self.alertBody(meter)).json["id"] as? String ?? ""
    }

    /// A new webhook of tenant A.
    func webhook(_ f: AccessFixture) throws -> String {
        (try f.call("POST", "/v1/webhooks", token: f.adminA, body: Self.webhookBody).json["webhook"] as? [String: Any])?["id"] as? String ?? ""
    }

    /// A new notification rule of tenant A (made before the operation's audit count is taken).
    func notificationRule(_ f: AccessFixture) throws -> String {
        try f.call("POST", "/v1/notification-rules", token: f.adminA, body: #"{"recipient":"ops@a.example","channel":"email"}"#)
            .json["id"] as? String ?? ""
    }

    /// The id of tenant A's customer with this number, created on first use (before the
    /// operation's audit count is taken).
    func customer(_ number: String, _ f: AccessFixture) throws -> String {
        if let id = try f.customers("&q=" + number).first?["id"] as? String { return id }
        return try f.createCustomer(#"{"customerNumber":"\#(number)"}"#)["id"] as? String ?? ""
    }

    @Test func everyMutationLeavesExactlyOneAuditEvent() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        // Order matters only where one change removes the other's target.
        // Ingest is the data path, not a change of configuration: each reading (with its
        // receptions) is its own record, and an audit event per batch would outgrow the data.
        let dataPath: Set<String> = ["ingestTelegrams", "ingestMBusFrames"]
        let removing: Set<String> = ["deleteUser", "revokeToken", "deleteMeter"]
        let mutating = Routes.operations.filter { $0.method != .get && $0.method != .head && !$0.isPublic && !dataPath.contains($0.id) }
            .sorted { (removing.contains($0.id) ? 1 : 0) < (removing.contains($1.id) ? 1 : 0) }
        let meter = try f.createMeter(#"{"manufacturer":"KAM","serial":"1","medium":"heat"}"#)["id"] as? String ?? ""
        #expect(mutating.count >= 8)
        let units = try UnitAuditSetup(f)
        for operation in mutating {
            let (body, parameters) = try validRequest(operation.id, f, units: units, meter: meter)
            var path = operation.pathTemplate
            for (name, value) in parameters { path = path.replacingOccurrences(of: "{\(name)}", with: value) }
            // In the caller's tenant: sharing also writes one event into the other tenant's log.
            let before = try await f.auditCount("tenant_id = \(f.tenantA.rowID)")
            let response = operation.id == "importKeyFile"
                ? try f.send("POST", path, token: f.adminA, body: try KEMTestFile.envelope(KEMTestFile.kem([("61234567", "MC21", "Water",
                                                                                                          String(repeating: "0A", count: 16))]),
                                                                                       password: "pw"),
                             contentType: "application/octet-stream", headers: [("X-KEM-Password", "pw")])
                : ["importMetersCSV", "importCustomers"].contains(operation.id)
                ? try f.send("POST", path, token: f.adminA, body: Array((body ?? "").utf8), contentType: "text/csv")
                : try f.call(operation.method.rawValue, path, token: f.adminA, body: body)
            #expect((200..<300).contains(response.status), "\(operation.id): \(response.status) \(response.text)")
            #expect(try await f.auditCount("tenant_id = \(f.tenantA.rowID)") == before + 1, "\(operation.id)")
            let newest = try f.call("GET", "/v1/audit-events?limit=1", token: f.adminA).json["items"] as? [[String: Any]]
            #expect(newest?.first?["principal"] as? String == "Alice", "\(operation.id)")
            #expect((newest?.first?["client"] as? String)?.hasPrefix("127.0.0.1:") == true)
        }
        // A refused change leaves none.
        let before = try await f.auditCount()
        #expect(try f.call("POST", "/v1/users", token: f.adminA, body: #"{"name":"Nina","email":"nina@a.example","role":"user"}"#).status == 409)
        #expect(try await f.auditCount() == before)
    }

    @Test func auditEventsAreAppendOnly() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        await #expect(throws: SQLiteError.self) {
            try await f.store.pool.write { try $0.execute("UPDATE audit_events SET type = 'x'", []) }
        }
        await #expect(throws: SQLiteError.self) {
            try await f.store.pool.write { try $0.execute("DELETE FROM audit_events", []) }
        }
        // And the API has no way to change them.
        #expect(Routes.operations.filter { $0.pathTemplate.hasPrefix("/v1/audit-events") }.allSatisfy { $0.method == .get })
    }

    @Test func auditEventsFilterAndPage() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        for i in 0..<3 {
            _ = try f.call("POST", "/v1/users", token: f.adminA, body: #"{"name":"U\#(i)","email":"u\#(i)@a.example","role":"user"}"#)
        }
        let created = try f.call("GET", "/v1/audit-events?type=user.created&limit=2", token: f.adminA).json
        let items = created["items"] as? [[String: Any]] ?? []
        #expect(items.count == 2 && items.allSatisfy { $0["type"] as? String == "user.created" })
        let cursor = try #require(created["nextCursor"] as? String)
        let rest = try f.call("GET", "/v1/audit-events?type=user.created&limit=2&cursor=\(cursor)", token: f.adminA).json
        #expect((rest["items"] as? [[String: Any]])?.count == 1 && rest["nextCursor"] == nil)
        #expect(try f.call("GET", "/v1/audit-events?cursor=garbage", token: f.adminA).status == 400)
        let future = try f.call("GET", "/v1/audit-events?from=2999-01-01T00:00:00Z", token: f.adminA).json
        #expect((future["items"] as? [Any])?.isEmpty == true)
        let mine = try f.call("GET", "/v1/me", token: f.adminA).json["userId"] as! String
        let byUser = try f.call("GET", "/v1/audit-events?user=\(mine)&limit=500", token: f.adminA).json["items"] as? [[String: Any]] ?? []
        #expect(byUser.count == 3)
    }

    @Test func etagsAndIfMatch() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let path = "/v1/users/\(f.victimUserA.uuidString.lowercased())"
        let first = try f.call("GET", path, token: f.adminA)
        #expect(first.headers["ETag"] == "\"1\"")
        let updated = try f.call("PATCH", path, token: f.adminA, body: #"{"name":"V2"}"#, headers: [("If-Match", "\"1\"")])
        #expect(updated.status == 200 && updated.headers["ETag"] == "\"2\"")
        let stale = try f.call("PATCH", path, token: f.adminA, body: #"{"name":"V3"}"#, headers: [("If-Match", "\"1\"")])
        #expect(stale.status == 412 && stale.headers["ETag"] == "\"2\"")
        #expect(try f.call("PATCH", path, token: f.adminA, body: #"{"name":"V3"}"#, headers: [("If-Match", "nonsense")]).status == 412)
        #expect(try f.call("PATCH", path, token: f.adminA, body: #"{"name":"V3"}"#, headers: [("If-Match", "*")]).status == 200)
        #expect(try f.call("GET", path, token: f.adminA).json["name"] as? String == "V3")
        let tenant = try f.call("GET", "/v1/tenant", token: f.adminA)
        #expect(try f.call("PATCH", "/v1/tenant", token: f.adminA, body: #"{"timeZone":"Mars/Olympus"}"#,
                           headers: [("If-Match", tenant.headers["ETag"]!)]).status == 422)
    }

    @Test func idempotencyKeys() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let body = #"{"name":"Ida","email":"ida@a.example","role":"user"}"#
        let first = try f.call("POST", "/v1/users", token: f.adminA, body: body, headers: [("Idempotency-Key", "k-1")])
        #expect(first.status == 201)
        let replay = try f.call("POST", "/v1/users", token: f.adminA, body: body, headers: [("Idempotency-Key", "k-1")])
        #expect(replay.status == 201 && replay.headers["Idempotent-Replayed"] == "true" && replay.body == first.body)
        let users = try f.call("GET", "/v1/users?limit=500", token: f.adminA).text
        #expect(users.components(separatedBy: "ida@a.example").count == 2)
        let other = try f.call("POST", "/v1/users", token: f.adminA, body: #"{"name":"Ole","email":"ole@a.example","role":"user"}"#,
                               headers: [("Idempotency-Key", "k-1")])
        #expect(other.status == 422)
        // A refusal is an answer too, and is replayed.
        let dup = try f.call("POST", "/v1/users", token: f.adminA, body: body, headers: [("Idempotency-Key", "k-2")])
        #expect(dup.status == 409)
        #expect(try f.call("POST", "/v1/users", token: f.adminA, body: body, headers: [("Idempotency-Key", "k-2")]).headers["Idempotent-Replayed"] == "true")
    }

    @Test func rolePermissionsAreAdministered() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let user = f.tokens["user"]!
        #expect(try f.call("GET", "/v1/me", token: user).json["permissions"] as? [String] == ["view", "export"])
        let current = try f.call("GET", "/v1/roles/user/permissions", token: f.adminA)
        let changed = try f.call("PUT", "/v1/roles/user/permissions", token: f.adminA, body: #"{"permissions":["view","view-audit"]}"#,
                                 headers: [("If-Match", current.headers["ETag"]!)])
        #expect(changed.status == 200)
        // Takes effect at once.
        #expect(try f.call("GET", "/v1/me", token: user).json["permissions"] as? [String] == ["view", "view-audit"])
        #expect(try f.call("GET", "/v1/audit-events", token: user).status == 200)
        // Fixed roles, and the power to change permissions, cannot be given away.
        #expect(try f.call("PUT", "/v1/roles/administrator/permissions", token: f.adminA, body: #"{"permissions":["view"]}"#).status == 422)
        #expect(try f.call("PUT", "/v1/roles/user/permissions", token: f.adminA, body: #"{"permissions":["manage-permissions"]}"#).status == 422)
        #expect(try f.call("PUT", "/v1/roles/user/permissions", token: f.adminA, body: #"{"permissions":["ingest"]}"#).status == 422)
        #expect(try f.call("PUT", "/v1/roles/user/permissions", token: f.tokens["superuser"]!, body: #"{"permissions":["view"]}"#).status == 403)
        // Tenant B's matrix is untouched.
        let bUser = try await f.token(f.tenantB.rowID, role: "user")
        #expect(try f.call("GET", "/v1/me", token: bUser).json["permissions"] as? [String] == ["view", "export"])
        let roles = try f.call("GET", "/v1/roles", token: f.adminA).json
        #expect((roles["permissions"] as? [String])?.count == AccessModel.catalogue.count)
    }

    @Test func theLastAdministratorStays() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let me = try f.call("GET", "/v1/me", token: f.adminA).json["userId"] as! String
        #expect(try f.call("DELETE", "/v1/users/\(me)", token: f.adminA).status == 409)
        #expect(try f.call("PATCH", "/v1/users/\(me)", token: f.adminA, body: #"{"role":"user"}"#).status == 409)
    }
}
