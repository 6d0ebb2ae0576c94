import Foundation
import Testing
@testable import App
import HTTPServer
import Outbound
@testable import Store
import SQLite
import TestSupport

/// `/v1/notification-rules`, the test message and the delivery log over real sockets:
/// validation with pointers, ETags, tenants, roles, the count limit.
@Suite(.serialized, .blockingIO)
struct NotificationRuleTests {
    static let sms = #"{"recipient":"+45 51449281","channel":"sms","subject":"READY Testutility-Notification","dailyDigestAt":"12:20"}"#

    func create(_ f: AccessFixture, _ body: String = sms, token: String? = nil) throws -> [String: Any] {
        let r = try f.call("POST", "/v1/notification-rules", token: token ?? f.adminA, body: body)
        guard r.status == 201 else { throw UnitTestFailure("create rule: \(r.status) \(r.text)") }
        return r.json
    }

    func pointers(_ r: RawClient.Response) -> [String] {
        (r.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
    }

    @Test func createReadUpdateDelete() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let rule = try create(f)
        let id = try #require(rule["id"] as? String)
        #expect(rule["recipient"] as? String == "+4551449281")
        #expect(rule["channel"] as? String == "sms")
        #expect(rule["group"] as? String == "all")
        #expect(rule["allInfoCodes"] as? Bool == true)
        #expect(rule["immediately"] as? Bool == true)
        #expect(rule["dailyDigestAt"] as? String == "12:20")
        #expect(rule["deliveryStatus"] == nil && rule["lastSent"] == nil)
        let next: Int64? = try await f.store.pool.read { conn in
            try conn.scalar("SELECT digest_next_at FROM notification_rules WHERE public_id = ?", [id])
        }
        #expect(next.map { $0 > Int64(Date().timeIntervalSince1970 * 1000) } == true)

        let got = try f.call("GET", "/v1/notification-rules/\(id)", token: f.tokens["user"])
        #expect(got.status == 200)
        #expect(got.headers["etag"] == "\"1\"")

        let stale = try f.call("PATCH", "/v1/notification-rules/\(id)", token: f.adminA, body: #"{"active":false}"#,
                               headers: [("If-Match", "\"7\"")])
        #expect(stale.status == 412)
        let patched = try f.call("PATCH", "/v1/notification-rules/\(id)", token: f.adminA,
                                 body: #"{"infoCodes":["leak","burst","leak"],"dailyDigestAt":"","subject":""}"#,
                                 headers: [("If-Match", "\"1\"")])
        #expect(patched.status == 200)
        #expect(patched.json["infoCodes"] as? [String] == ["leak", "burst"])
        #expect(patched.json["allInfoCodes"] as? Bool == false)
        #expect(patched.json["dailyDigestAt"] is NSNull)
        #expect(patched.json["subject"] is NSNull)
        #expect(patched.headers["etag"] == "\"2\"")

        let list = try f.call("GET", "/v1/notification-rules?limit=10", token: f.adminA)
        #expect(f.items(list).map { $0["id"] as? String } == [id])
        #expect(try f.call("DELETE", "/v1/notification-rules/\(id)", token: f.adminA, headers: [("If-Match", "\"2\"")]).status == 204)
        #expect(try f.call("GET", "/v1/notification-rules/\(id)", token: f.adminA).status == 404)
        #expect(try await f.auditCount("type LIKE 'notification-rule.%'") == 3)
    }

    @Test func invalidRulesNameTheField() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let cases: [(String, String)] = [
            (#"{"recipient":"51449281","channel":"sms"}"#, "/recipient"),
            (#"{"recipient":"ops@a.example","channel":"sms"}"#, "/recipient"),
            (#"{"recipient":"+4551449281","channel":"email"}"#, "/recipient"),
            (#"{"recipient":"ops@a.example","channel":"email","immediately":false}"#, "/immediately"),
            (#"{"recipient":"ops@a.example","channel":"email","allInfoCodes":true,"infoCodes":["leak"]}"#, "/infoCodes"),
            (#"{"recipient":"ops@a.example","channel":"email","infoCodes":[]}"#, "/infoCodes"),
            (#"{"recipient":"ops@a.example","channel":"email","infoCodes":["leak","flood"]}"#, "/infoCodes/1"),
            (#"{"recipient":"ops@a.example","channel":"email","group":"00000000-0000-4000-8000-000000000001"}"#, "/group"),
            (#"{"recipient":"ops@a.example","channel":"email","subject":"a\nb"}"#, "/subject"),
        ]
        for (body, pointer) in cases {
            let r = try f.call("POST", "/v1/notification-rules", token: f.adminA, body: body)
            #expect(r.status == 422, "\(body)")
            #expect(pointers(r) == [pointer], "\(body): \(r.text)")
        }
        // The contract's own limits are 400 with a pointer.
        let r = try f.call("POST", "/v1/notification-rules", token: f.adminA,
                           body: #"{"recipient":"ops@a.example","channel":"email","dailyDigestAt":"25:00"}"#)
        #expect(r.status == 400)
        #expect(try await f.store.outboxCount() == 0)
        // An empty codes list with consumption alerts is a rule about alerts only.
        let alerts = try create(f, #"{"recipient":"ops@a.example","channel":"email","infoCodes":[],"consumptionAlerts":true}"#)
        #expect(alerts["allInfoCodes"] as? Bool == false)
    }

    @Test func anotherTenantsRuleIsNotFoundAndUsersCannotCreate() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let id = try #require(try create(f)["id"] as? String)
        for (method, path, body) in [("GET", "", nil), ("PATCH", "", #"{"active":false}"#), ("DELETE", "", nil), ("POST", "/test", nil)] {
            #expect(try f.call(method, "/v1/notification-rules/\(id)\(path)", token: f.adminB, body: body).status == 404, "\(method) \(path)")
        }
        #expect(try f.call("GET", "/v1/notification-deliveries?ruleId=\(id)", token: f.adminB).status == 404)
        #expect(f.items(try f.call("GET", "/v1/notification-rules", token: f.adminB)).isEmpty)
        let user = try f.call("POST", "/v1/notification-rules", token: f.tokens["user"], body: Self.sms)
        #expect(user.status == 403)
        #expect(try f.call("POST", "/v1/notification-rules/\(id)/test", token: f.tokens["user"]).status == 403)
        #expect(try f.call("PUT", "/v1/notification-channels", token: f.tokens["user"], body: "{}").status == 403)
    }

    @Test func atMostAThousandRulesPerTenant() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let tenant = f.tenantA.rowID
        try await f.store.pool.write { conn in
            for _ in 0..<999 {
                _ = try conn.execute("""
                    INSERT INTO notification_rules (public_id, tenant_id, channel, recipient, active, group_ref, consumption_alerts,
                        immediately, created_at, updated_at) VALUES (?, ?, 1, 'ops@a.example', 1, 'all', 0, 1, 0, 0)
                    """, [UUID().uuidString.lowercased(), tenant])
            }
        }
        _ = try create(f)
        let over = try f.call("POST", "/v1/notification-rules", token: f.adminA, body: Self.sms)
        #expect(over.status == 409)
        // Another tenant has its own allowance.
        _ = try create(f, token: f.adminB)
    }

    @Test func testMessageIsQueuedAndListedInTheDeliveryLog() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let id = try #require(try create(f)["id"] as? String)
        let queued = try f.call("POST", "/v1/notification-rules/\(id)/test", token: f.adminA, headers: [("Idempotency-Key", "t-1")])
        #expect(queued.status == 202)
        let delivery = try #require(queued.json["deliveryId"] as? String)
        // The same key replays the answer instead of queueing twice.
        let replay = try f.call("POST", "/v1/notification-rules/\(id)/test", token: f.adminA, headers: [("Idempotency-Key", "t-1")])
        #expect(replay.json["deliveryId"] as? String == delivery)
        #expect(try await f.store.outboxCount() == 1)

        let log = try f.call("GET", "/v1/notification-deliveries?ruleId=\(id)&state=pending", token: f.tokens["user"])
        #expect(log.status == 200)
        let item = try #require(f.items(log).first)
        #expect(item["id"] as? String == delivery)
        #expect(item["kind"] as? String == "test")
        #expect(item["recipient"] as? String == "+4551449281")
        #expect(item["status"] as? String == "Pending")
        #expect(f.items(try f.call("GET", "/v1/notification-deliveries?state=delivered", token: f.adminA)).isEmpty)
        // The rule shows its newest message.
        let rule = try f.call("GET", "/v1/notification-rules/\(id)", token: f.adminA)
        #expect(rule.json["deliveryStatus"] as? String == "Pending")
        #expect(try f.call("GET", "/v1/notification-deliveries?ruleId=00000000-0000-4000-8000-000000000001", token: f.adminA).status == 404)
        #expect(try f.call("GET", "/v1/notification-deliveries?cursor=zz", token: f.adminA).status == 400)
        // A deleted rule's log stays, without its rule; a new rule does not inherit it.
        #expect(try f.call("DELETE", "/v1/notification-rules/\(id)", token: f.adminA).status == 204)
        let successor = try create(f)
        #expect(successor["deliveryStatus"] == nil)
        let orphan = try #require(f.items(try f.call("GET", "/v1/notification-deliveries", token: f.adminA)).first)
        #expect(orphan["id"] as? String == delivery && orphan["ruleId"] == nil)
    }

    @Test func channelSecretsAreSealedAndNeverReturned() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let empty = try f.call("GET", "/v1/notification-channels", token: f.adminA)
        #expect(empty.status == 200 && empty.json["email"] == nil && empty.headers["etag"] == "\"0\"")
        let body = #"""
            {"email":{"url":"smtps://mail.a.example:465","username":"alarms","password":"s3cret-pw","from":"alarms@a.example"},
             "sms":{"url":"https://sms.example/send","headers":[{"name":"X-API-Key","value":"key-123"}],
                    "bodyTemplate":"{\"to\":\"{to}\",\"text\":\"{text}\"}","format":"json"}}
            """#
        let put = try f.call("PUT", "/v1/notification-channels", token: f.adminA, body: body)
        #expect(put.status == 200, "\(put.text)")
        #expect(!put.text.contains("s3cret-pw") && !put.text.contains("key-123"))
        #expect((put.json["email"] as? [String: Any])?["passwordSet"] as? Bool == true)
        #expect(((put.json["sms"] as? [String: Any])?["headers"] as? [[String: Any]])?.first?["valueSet"] as? Bool == true)
        let raw: [UInt8] = try await f.store.pool.read { conn in
            var bytes: [UInt8] = []
            try conn.query("SELECT email_secret FROM notification_channels") { bytes = $0.blob(0) }
            return bytes
        }
        #expect(!String(decoding: raw, as: UTF8.self).contains("s3cret"))

        // A second PUT without the secrets keeps them (If-Match checked).
        let again = #"{"email":{"url":"smtp://mail.a.example:587","from":"alarms@a.example"},"sms":{"url":"https://sms.example/send","headers":[{"name":"x-api-key"}],"bodyTemplate":"to={to}&text={text}","format":"form"}}"#
        #expect(try f.call("PUT", "/v1/notification-channels", token: f.adminA, body: again, headers: [("If-Match", "\"9\"")]).status == 412)
        #expect(try f.call("PUT", "/v1/notification-channels", token: f.adminA, body: again, headers: [("If-Match", "\"1\"")]).status == 200)
        let vault = try KeyVault.open(dataDirectory: f.directory, environmentKey: nil)
        let settings = try await StoredChannels.load(f.store, vault: vault, tenant: f.tenantA.rowID)
        #expect(settings.email?.password == "s3cret-pw")
        #expect(settings.email?.url == "smtp://mail.a.example:587")
        #expect(settings.sms?.headers == [.init(name: "x-api-key", value: "key-123")])
        #expect(settings.sms?.format == .form)
        // Tenant B sees none of it.
        #expect(try f.call("GET", "/v1/notification-channels", token: f.adminB).json["email"] == nil)

        let bad = #"{"email":{"url":"http://mail","from":"nobody"},"sms":{"url":"ftp://x","headers":[{"name":"X-New"}],"bodyTemplate":"{to}","format":"form"}}"#
        let refused = try f.call("PUT", "/v1/notification-channels", token: f.adminA, body: bad)
        #expect(refused.status == 422)
        #expect(pointers(refused) == ["/email/url", "/email/from", "/sms/url", "/sms/bodyTemplate"])
        let unknownHeader = #"{"sms":{"url":"https://sms.example","headers":[{"name":"X-New"}],"bodyTemplate":"{to} {text}","format":"form"}}"#
        let missing = try f.call("PUT", "/v1/notification-channels", token: f.adminA, body: unknownHeader)
        #expect(missing.status == 422 && pointers(missing) == ["/sms/headers/0/value"])
    }
}
