import Foundation
import Testing
@testable import App
import Metering
import Outbound
@testable import Store
import SQLite
import TestSupport

/// Ingest → info code → event feed → notifier → outbox → transport, end to end with a real
/// MULTICAL 21 telegram whose info field says "leak"; and the daily digest's schedule.
@Suite(.serialized, .blockingIO)
struct NotifierTests {
    static let key: [UInt8] = Array(0..<16)
    static let leak: UInt16 = 0x04

    func rule(_ f: IngestFixture, _ body: String, token: String? = nil) async throws -> String {
        let r = try await f.call("POST", "/v1/notification-rules", token: token ?? f.adminA, body: body)
        guard r.status == 201, let id = r.json["id"] as? String else { throw IngestFixture.Failure("rule: \(r.status) \(r.text)") }
        return id
    }

    @Test func aLeakReachesTheMatchingRulesOnly() async throws {
        let transport = FakeTransport(fallback: .init(status: .delivered, message: "The e-mail was accepted.", peerStatus: 250))
        let f = try await IngestFixture.start(transport: transport)
        defer { Task { await f.stop() } }
        let channels = #"{"email":{"url":"smtp://127.0.0.1:2525","from":"alarms@a.example","startTls":false}}"#
        #expect(try await f.call("PUT", "/v1/notification-channels", token: f.adminA, body: channels).status == 200)
        let leakRule = try await rule(f, #"{"recipient":"ops@a.example","channel":"email","infoCodes":["leak"],"subject":"Water alarm"}"#)
        _ = try await rule(f, #"{"recipient":"+4551449281","channel":"sms","infoCodes":["burst"]}"#)
        _ = try await rule(f, #"{"recipient":"digest@a.example","channel":"email","immediately":false,"dailyDigestAt":"06:00"}"#)
        _ = try await rule(f, #"{"recipient":"other@b.example","channel":"email"}"#, token: f.adminB)
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "76348799", key: Self.key)
        try await f.store.pool.write { conn in
            _ = try conn.execute("""
                INSERT INTO metering_points (public_id, tenant_id, address, postal_code, city, created_at, updated_at)
                VALUES (?, ?, 'Søndergade 1', '8000', 'Aarhus C', 0, 0)
                """, [UUID().uuidString.lowercased(), f.tenantA.rowID])
            _ = try conn.execute("UPDATE meters SET metering_point_id = ? WHERE public_id = ?",
                                 [conn.lastInsertRowID, meter.uuidString.lowercased()])
        }
        _ = try await f.post("north", [try IngestFixture.multical21(id: 76348799, key: Self.key, litres: 1000, info: Self.leak)],
                             receivedAt: "2026-11-21T10:00:00Z")
        let delivered = try await f.eventually { try await f.store.outboxCount("state = 1") == 1 }
        #expect(delivered)
        #expect(try await f.store.outboxCount() == 1)
        let sent = transport.sent
        #expect(sent.count == 1)
        guard case .email(let mail) = sent.first else { Issue.record("expected an e-mail, got \(sent)"); return }
        #expect(mail.to == "ops@a.example")
        #expect(mail.subject == "Water alarm")
        // The event's time (when the server saw the code raised) on Copenhagen's clock.
        let raised: Int64 = try await f.store.pool.read { conn in try conn.scalar("SELECT time FROM events WHERE type = 2")! }
        let local = LocalTimeText.minutes(raised / 1000, in: TimeZone(identifier: "Europe/Copenhagen")!)
        #expect(mail.body == "Leak on meter 76348799 at Søndergade 1, 8000 Aarhus C (raised \(local))\n")
        #expect(transport.channelsSeen.first?.email?.url == "smtp://127.0.0.1:2525")

        let shown = try await f.call("GET", "/v1/notification-rules/\(leakRule)", token: f.adminA)
        #expect(shown.json["deliveryStatus"] as? String == "Success")
        #expect(shown.json["deliveryMessage"] as? String == "The e-mail was accepted.")
        #expect(shown.json["lastSent"] is String)
        let log = try await f.call("GET", "/v1/notification-deliveries?ruleId=\(leakRule)", token: f.adminA)
        let attempts = (log.json["items"] as? [[String: Any]])?.first?["attempts"] as? [[String: Any]]
        #expect(attempts?.first?["outcome"] as? String == "delivered")
        #expect(attempts?.first?["peerStatus"] as? Int == 250)

        // The same code still active in the next reading raises nothing new.
        _ = try await f.post("north", [try IngestFixture.multical21(id: 76348799, key: Self.key, litres: 1010, info: Self.leak, access: 2)],
                             receivedAt: "2026-11-21T10:15:00Z")
        try await waitForNotifier(f)
        #expect(try await f.store.outboxCount() == 1)
    }

    /// Until the notifier has read the whole feed (a pass of its own races the running one
    /// safely: the position only moves by compare-and-set).
    func waitForNotifier(_ f: IngestFixture) async throws {
        let notifier = try #require(f.app.notificationServices?.notifier)
        while try await notifier.pass() {}
    }

    @Test func dailyDigestGoesOutOnceEvenAfterDowntime() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let id = try await rule(f, #"{"recipient":"ops@a.example","channel":"email","immediately":false,"dailyDigestAt":"12:20"}"#)
        _ = try await rule(f, #"{"recipient":"leaks@a.example","channel":"email","immediately":false,"dailyDigestAt":"12:20","infoCodes":["burst"]}"#)
        let a = try await f.addMeter(tenant: f.tenantA.rowID, serial: "11111111", key: nil)
        _ = try await f.addMeter(tenant: f.tenantA.rowID, serial: "22222222", key: nil)
        let dueAt: Int64 = try await f.store.pool.read { conn in
            try conn.scalar("SELECT digest_next_at FROM notification_rules WHERE public_id = ?", [id])!
        }
        let clock = ManualClock(dueAt - 1)
        let scheduler = DigestScheduler(store: f.store, clock: clock, queued: {})
        #expect(try await scheduler.pass() == 0) // not due yet
        // Nothing active: the digest is skipped, and planned for the next day.
        clock.set(dueAt)
        #expect(try await scheduler.pass() == 0)
        let tomorrow: Int64 = try await f.store.pool.read { conn in
            try conn.scalar("SELECT digest_next_at FROM notification_rules WHERE public_id = ?", [id])!
        }
        #expect(tomorrow - dueAt == 86_400_000 || tomorrow - dueAt == 82_800_000 || tomorrow - dueAt == 90_000_000)
        try await f.store.pool.write { conn in
            _ = try conn.execute("UPDATE meters SET active_info_codes = 'leak,burst' WHERE public_id = ?", [a.uuidString.lowercased()])
        }
        // Three days of downtime: one digest per rule, not three.
        clock.set(tomorrow + 3 * 86_400_000)
        #expect(try await scheduler.pass() == 2)
        #expect(try await scheduler.pass() == 0)
        let bodies: [String] = try await f.store.pool.read { conn in
            var out: [String] = []
            try conn.query("SELECT message FROM outbox WHERE origin_kind = 4 ORDER BY recipient DESC") { out.append(String(decoding: $0.blob(0), as: UTF8.self)) }
            return out
        }
        let messages = try bodies.map { try OutboundMessage(encoded: Array($0.utf8)) }
        guard case .email(let all) = messages.first, case .email(let bursts) = messages.last else { Issue.record("\(messages)"); return }
        #expect(all.to == "ops@a.example" && all.subject == "Daily info-code summary")
        #expect(all.body.hasPrefix("1 meter has active info codes ("))
        #expect(all.body.contains("- meter 11111111: Leak, Burst"))
        #expect(bursts.body.contains("- meter 11111111: Burst") && !bursts.body.contains("Leak"))
    }
}

/// Which immediate rules an event concerns: codes, consumption alerts, groups.
@Suite struct RuleMatchingTests {
    func rule(_ id: Int64, group: String = "all", codes: [String]? = nil, alerts: Bool = false, immediately: Bool = true)
        -> NotificationRuleCache.Rule {
        .init(rowID: id, fields: .init(channel: .email, recipient: "ops@a.example", active: true, subject: nil, group: group,
                                       infoCodes: codes, consumptionAlerts: alerts, immediately: immediately, digestMinute: 600),
              codes: codes.map(Set.init))
    }

    func event(_ type: EventType, _ detail: String, groups: [String] = [], priority: Bool = false) -> NotifierEvent {
        NotifierEvent(tenant: 1, type: type, time: 0, detail: detail,
                      meter: MeterScope(serial: "1", address: nil, groups: groups, priority: priority, lastImported: false, activeInfoCodes: []))
    }

    @Test func matchesCodesAlertsAndGroups() {
        let g = "3f1e3c1e-2b7a-4c55-9c1a-1b2c3d4e5f60"
        let rules = [rule(1), rule(2, codes: ["burst"]), rule(3, group: g, codes: ["leak"]), rule(4, group: "non-grouped"),
                     rule(5, group: "priority", codes: [], alerts: true), rule(6, immediately: false), rule(7, codes: [], alerts: true)]
        func ids(_ e: NotifierEvent) -> [Int64] { NotificationRuleCache.matching(rules, e).map(\.rowID) }
        #expect(ids(event(.infoCodeRaised, "leak")) == [1, 4])
        #expect(ids(event(.infoCodeRaised, "leak", groups: [g])) == [1, 3])
        #expect(ids(event(.infoCodeRaised, "burst", priority: true)) == [1, 2, 4])
        #expect(ids(event(.consumptionAlertTriggered, "a1", priority: true)) == [5, 7])
        #expect(ids(event(.infoCodeCleared, "leak")).isEmpty)
    }
}
