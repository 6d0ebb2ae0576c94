import Foundation
import Testing
@testable import App
import HTTPServer
import Outbound
@testable import Store
import SQLite
import TestSupport

/// Webhooks over real sockets: CRUD, secrets, URL rules, tenants, permissions, and the
/// dispatcher's outbox rows (the sending itself is the outbox worker's, tested elsewhere).
@Suite(.serialized, .blockingIO)
struct WebhookTests {
    static let key: [UInt8] = Array(0..<16)

    static func create(_ f: IngestFixture, types: String = #"["info-code.raised"]"#,
                       url: String = "http://127.0.0.1:9/hook") async throws -> RawClient.Response {
        try await f.call("POST", "/v1/webhooks", token: f.adminA, body: #"{"url":"\#(url)","eventTypes":\#(types)}"#)
    }

    /// The webhook's outbox rows, decoded, oldest first.
    static func calls(_ f: IngestFixture, webhook: String, store: Store? = nil) async throws -> [OutboundMessage.WebhookCall] {
        let messages: [[UInt8]] = try await (store ?? f.store).pool.read { conn in
            var out: [[UInt8]] = []
            try conn.query("""
                SELECT o.message FROM outbox o JOIN webhooks w ON w.id = o.origin_id
                WHERE o.origin_kind = 3 AND o.channel = 3 AND w.public_id = ? ORDER BY o.id
                """, [webhook]) { out.append($0.blob(0)) }
            return out
        }
        return try messages.map { message in
            guard case .webhook(let call) = try OutboundMessage(encoded: message) else { throw IngestFixture.Failure("not a webhook call") }
            return call
        }
    }

    @Test func crudSecretsAndRules() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let created = try await Self.create(f, types: #"["reading.created","meter.exchanged"]"#, url: "https://hooks.example/fjern")
        #expect(created.status == 201)
        let id = try #require((created.json["webhook"] as? [String: Any])?["id"] as? String)
        let secret = try #require(created.json["secret"] as? String)
        #expect(secret.hasPrefix("whsec_"))
        let key = try #require(Data(base64Encoded: String(secret.dropFirst(6))))
        #expect(key.count == 24)
        let etag = try #require(created.headers["ETag"])

        // The worker's view: the sealed secret opens to the same bytes.
        let secrets = WebhookSecrets(store: f.store, vault: f.vault)
        let row: Int64 = try await f.store.pool.read { try $0.scalar("SELECT id FROM webhooks WHERE public_id = ?", [id])! }
        #expect(try await secrets.secret(tenant: f.tenantA.rowID, webhookRowID: row) == Array(key))
        #expect(try await secrets.secret(tenant: f.tenantB.rowID, webhookRowID: row) == nil)

        let got = try await f.call("GET", "/v1/webhooks/\(id)", token: f.adminA)
        #expect(got.status == 200 && got.json["secret"] == nil && got.text.contains("whsec_") == false)
        #expect(got.json["eventTypes"] as? [String] == ["reading.created", "meter.exchanged"])
        #expect(got.json["active"] as? Bool == true)
        #expect((try await f.call("GET", "/v1/webhooks", token: f.adminA).json["items"] as? [Any])?.count == 1)

        let rotated = try await f.call("POST", "/v1/webhooks/\(id)/rotate-secret", token: f.adminA)
        let newSecret = try #require(rotated.json["secret"] as? String)
        #expect(rotated.status == 200 && newSecret != secret && newSecret.hasPrefix("whsec_"))
        let newKey = try #require(Data(base64Encoded: String(newSecret.dropFirst(6))))
        #expect(try await secrets.secret(tenant: f.tenantA.rowID, webhookRowID: row) == Array(newKey))

        #expect(try await f.call("PATCH", "/v1/webhooks/\(id)", token: f.adminA, body: #"{"active":false}"#,
                                 headers: [("If-Match", etag)]).status == 412)
        let patched = try await f.call("PATCH", "/v1/webhooks/\(id)", token: f.adminA,
                                       body: #"{"active":false,"description":"billing","eventTypes":["info-code.raised"]}"#)
        #expect(patched.status == 200 && patched.json["active"] as? Bool == false && patched.json["description"] as? String == "billing")
        #expect(patched.json["eventTypes"] as? [String] == ["info-code.raised"])

        // URLs: https anywhere, http only to loopback.
        for (url, status) in [("http://hooks.example/x", 422), ("ftp://127.0.0.1/x", 422), ("https://user:pw@hooks.example/x", 422),
                              ("http://localhost:8080/x", 201), ("http://127.0.0.2/x", 201), ("http://[::1]:9/x", 201)] {
            let r = try await Self.create(f, url: url)
            #expect(r.status == status, "\(url)")
            if status == 422 { #expect((r.json["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/url") }
        }
        #expect(try await f.call("PATCH", "/v1/webhooks/\(id)", token: f.adminA, body: #"{"url":"http://hooks.example/x"}"#).status == 422)
        #expect(try await f.call("POST", "/v1/webhooks", token: f.adminA, body: #"{"url":"https://a.example/x","eventTypes":[]}"#).status == 400)

        // Another tenant: 404 everywhere. A `user`: no access to configuration.
        for (method, path) in [("GET", "/v1/webhooks/\(id)"), ("DELETE", "/v1/webhooks/\(id)"), ("GET", "/v1/webhooks/\(id)/deliveries"),
                               ("POST", "/v1/webhooks/\(id)/rotate-secret")] {
            #expect(try await f.call(method, path, token: f.adminB).status == 404, "\(method) \(path)")
        }
        #expect(try await f.call("PATCH", "/v1/webhooks/\(id)", token: f.adminB, body: "{}").status == 404)
        #expect((try await f.call("GET", "/v1/webhooks", token: f.adminB).json["items"] as? [Any])?.isEmpty == true)
        let user = try await f.userTokenA()
        #expect(try await f.call("GET", "/v1/webhooks", token: user).status == 403)
        #expect(try await Self.createAs(f, token: user).status == 403)

        #expect(try await f.call("DELETE", "/v1/webhooks/\(id)", token: f.adminA).status == 204)
        #expect(try await f.call("GET", "/v1/webhooks/\(id)", token: f.adminA).status == 404)
    }

    static func createAs(_ f: IngestFixture, token: String) async throws -> RawClient.Response {
        try await f.call("POST", "/v1/webhooks", token: token, body: #"{"url":"https://a.example/x","eventTypes":["reading.created"]}"#)
    }

    @Test func theDispatcherQueuesEachMatchingEventOnceAcrossRestarts() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "76348799", key: Self.key)
        _ = try await f.post("north", [try IngestFixture.multical21(id: 76_348_799, key: Self.key, litres: 900, info: 0x0008)],
                             receivedAt: "2026-11-21T09:00:00Z")
        // Created after those events: it starts after them.
        let raised = try #require((try await Self.create(f).json["webhook"] as? [String: Any])?["id"] as? String)
        let readings = try #require((try await Self.create(f, types: #"["reading.created"]"#).json["webhook"] as? [String: Any])?["id"] as? String)
        let b = try await f.call("POST", "/v1/webhooks", token: f.adminB, body: #"{"url":"https://b.example/x","eventTypes":["reading.created"]}"#)
        let other = try #require((b.json["webhook"] as? [String: Any])?["id"] as? String)

        _ = try await f.post("north", [try IngestFixture.multical21(id: 76_348_799, key: Self.key, litres: 1000, info: 0, access: 2)],
                             receivedAt: "2026-11-21T10:00:00Z")
        _ = try await f.post("north", [try IngestFixture.multical21(id: 76_348_799, key: Self.key, litres: 1010, info: 0x0008, access: 3)],
                             receivedAt: "2026-11-21T10:15:00Z")
        // The background dispatcher may have run already; another pass must add nothing.
        try await WebhookDispatcher.dispatch(f.store)
        try await WebhookDispatcher.dispatch(f.store)

        let raisedEvents = try await f.events("info-code.raised", token: f.adminA)
        let readingEvents = try await f.events("reading.created", token: f.adminA)
        #expect(raisedEvents.count == 2 && readingEvents.count == 3)
        let raisedCalls = try await Self.calls(f, webhook: raised)
        #expect(raisedCalls.map(\.messageID) == raisedEvents.suffix(1).map { "evt_" + ($0["id"] as? String ?? "") })
        let readingCalls = try await Self.calls(f, webhook: readings)
        #expect(readingCalls.map(\.messageID) == readingEvents.suffix(2).map { "evt_" + ($0["id"] as? String ?? "") })
        #expect(readingCalls.allSatisfy { $0.url == "http://127.0.0.1:9/hook" })
        let firstCall = try #require(raisedCalls.first)
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(firstCall.payload)) as? [String: Any])
        #expect(payload["type"] as? String == "info-code.raised" && payload["meterId"] as? String == meter.uuidString.lowercased())
        #expect(payload["id"] as? String == raisedEvents.last?["id"] as? String)
        // Tenant B's webhook sees none of tenant A's events.
        #expect(try await Self.calls(f, webhook: other).isEmpty)

        let deliveries = try await f.call("GET", "/v1/webhooks/\(readings)/deliveries?limit=1", token: f.adminA)
        #expect(deliveries.status == 200)
        let first = try #require((deliveries.json["items"] as? [[String: Any]])?.first)
        #expect(first["messageId"] as? String == readingCalls.last?.messageID)
        #expect(first["state"] as? String == "pending" && first["attempts"] as? Int == 0)
        let cursor = try #require(deliveries.json["nextCursor"] as? String)
        let next = try await f.call("GET", "/v1/webhooks/\(readings)/deliveries?limit=1&cursor=\(cursor)", token: f.adminA)
        #expect((next.json["items"] as? [[String: Any]])?.first?["messageId"] as? String == readingCalls.first?.messageID)

        // A restart: the cursor is durable, so a new dispatcher queues only what is new.
        await f.app.stop()
        let store = try await Store(directory: f.directory)
        try await WebhookDispatcher.dispatch(store)
        #expect(try await Self.calls(f, webhook: readings, store: store).count == 2)
        let meterRow: Int64 = try await store.pool.read { try $0.scalar("SELECT id FROM meters WHERE public_id = ?", [meter.uuidString.lowercased()])! }
        let tenant = f.tenantA.rowID
        try await store.pool.write { conn in
            try Store.appendEvent(tenant: tenant, .readingCreated, time: Store.now(), subject: meterRow,
                                  data: EventPayload.reading(time: 1_763_720_000, source: .fixedNetwork, data: [0]), conn)
            try Store.appendEvent(tenant: tenant, .meterExchanged, time: Store.now(), subject: nil, data: nil, conn)
        }
        try await WebhookDispatcher.dispatch(store)
        try await WebhookDispatcher.dispatch(store)
        let after = try await Self.calls(f, webhook: readings, store: store)
        #expect(after.count == 3 && Set(after.map(\.messageID)).count == 3)
        #expect(try await Self.calls(f, webhook: raised, store: store).count == 1)
        await store.close()
    }
}
