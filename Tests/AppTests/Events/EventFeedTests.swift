import Dispatch
import Foundation
import HTTPServer
import Testing
@testable import App
@testable import Store
import SQLite
import TestSupport

/// `GET /v1/events` over real sockets: what ingest records, paging, filters, errors, tenants.
@Suite(.serialized, .blockingIO)
struct EventFeedTests {
    static let key: [UInt8] = Array(0..<16)

    /// Every event of the feed after `after`, page by page.
    static func drain(_ f: IngestFixture, token: String, query: String = "", after: String? = nil,
                      limit: Int = 3) async throws -> (events: [[String: Any]], cursor: String) {
        var events: [[String: Any]] = []
        var cursor = after
        while true {
            var path = "/v1/events?limit=\(limit)" + query
            if let cursor { path += "&after=\(cursor)" }
            let page = try await f.call("GET", path, token: token)
            guard page.status == 200 else { throw IngestFixture.Failure("feed answered \(page.status): \(page.text)") }
            let items = page.json["items"] as? [[String: Any]] ?? []
            let next = try #require(page.json["nextCursor"] as? String)
            events += items
            if items.isEmpty {
                // The position may move past rows that are not the caller's; then it rests.
                let again = try await f.call("GET", "/v1/events?limit=\(limit)" + query + "&after=\(next)", token: token)
                #expect(again.json["nextCursor"] as? String == next && (again.json["items"] as? [Any])?.isEmpty == true)
                return (events, next)
            }
            cursor = next
        }
    }

    @Test func ingestRecordsNewReadingsAndInfoCodeChangesInOrder() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "76348799", key: Self.key)
        let t1 = try IngestFixture.multical21(id: 76_348_799, key: Self.key, litres: 1000, info: 0x0008)
        let t2 = try IngestFixture.multical21(id: 76_348_799, key: Self.key, litres: 1010, info: 0)
        _ = try await f.post("north", [t1], receivedAt: "2026-11-21T10:00:00Z")
        // Heard again by another unit: a reception, not a new reading.
        _ = try await f.post("south", [t1], receivedAt: "2026-11-21T10:00:03Z")
        _ = try await f.post("north", [t2], receivedAt: "2026-11-21T10:15:00Z")

        let (events, cursor) = try await Self.drain(f, token: f.adminA, limit: 2)
        #expect(events.map { $0["type"] as? String } == ["reading.created", "info-code.raised", "reading.created", "info-code.cleared"])
        #expect(events.allSatisfy { $0["meterId"] as? String == meter.uuidString.lowercased() })
        let ids = events.compactMap { $0["id"] as? String }
        #expect(Set(ids).count == 4)
        #expect(ids.map { Int($0.dropFirst(), radix: 36)! } == ids.map { Int($0.dropFirst(), radix: 36)! }.sorted())
        let reading = (events[0]["data"] as? [String: Any])?["reading"] as? [String: Any]
        #expect((reading?["registers"] as? [String: Any])?["volumeM3"] as? Double == 1.0)
        #expect((reading?["time"] as? String)?.hasPrefix("2026-11-21T10:00:00") == true)
        #expect(reading?["source"] as? String == "fixed-network")
        let raised = (events[1]["data"] as? [String: Any])?["infoCode"] as? String
        #expect(raised != nil && raised == (events[3]["data"] as? [String: Any])?["infoCode"] as? String)
        #expect(((reading?["infoCodes"] as? [String]) ?? []) == [raised!])
        #expect((events[0]["time"] as? String)?.hasSuffix("Z") == true)

        // Polling with the cursor: nothing new, the same cursor back; then only what came since.
        let idle = try await f.call("GET", "/v1/events?after=\(cursor)", token: f.adminA)
        #expect(idle.json["nextCursor"] as? String == cursor && (idle.json["items"] as? [Any])?.isEmpty == true)
        let t3 = try IngestFixture.multical21(id: 76_348_799, key: Self.key, litres: 1020, info: 0)
        _ = try await f.post("north", [t3], receivedAt: "2026-11-21T10:30:00Z")
        let newer = try await Self.drain(f, token: f.adminA, after: cursor).events
        #expect(newer.map { $0["type"] as? String } == ["reading.created"])

        // The types filter.
        let info = try await Self.drain(f, token: f.adminA, query: "&types=info-code.cleared,info-code.raised").events
        #expect(info.map { $0["type"] as? String } == ["info-code.raised", "info-code.cleared"])
        let cleared = try await Self.drain(f, token: f.adminA, query: "&types=info-code.cleared").events
        #expect(cleared.map { $0["id"] as? String } == [ids[3]])
    }

    @Test func invalidInputIsA400WithAPointer() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        for (query, pointer) in [("types=reading.deleted", "#/query/types"), ("types=reading.created,", "#/query/types"),
                                 ("after=12", "#/query/after"), ("after=c", "#/query/after"), ("limit=0", "#/query/limit"),
                                 ("limit=501", "#/query/limit"), ("wait=31", "#/query/wait"), ("since=c1", "#/query/since")] {
            let response = try await f.call("GET", "/v1/events?\(query)", token: f.adminA)
            #expect(response.status == 400, "\(query)")
            let errors = response.json["errors"] as? [[String: Any]] ?? []
            #expect(errors.contains { $0["pointer"] as? String == pointer }, "\(query): \(response.text)")
        }
        #expect(try await f.call("GET", "/v1/events", token: nil).status == 401)
        let stream = try await f.call("GET", "/v1/events/stream?types=nope", token: f.adminA)
        #expect(stream.status == 400)
        let header = try await f.call("GET", "/v1/events/stream?timeout=1", token: f.adminA, headers: [("Last-Event-ID", "x1")])
        #expect(header.status == 400)
    }

    @Test func anotherTenantsEventsNeverAppear() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let a = try await f.addMeter(tenant: f.tenantA.rowID, serial: "11112222", key: Self.key)
        let b = try await f.addMeter(tenant: f.tenantB.rowID, serial: "33334444", key: Self.key)
        _ = try await f.post("north", [try IngestFixture.multical21(id: 11_112_222, key: Self.key, litres: 5)])
        _ = try await f.post("b-own", [try IngestFixture.multical21(id: 33_334_444, key: Self.key, litres: 7, info: 0x0008)])
        let seenByA = try await Self.drain(f, token: f.adminA).events
        let seenByB = try await Self.drain(f, token: f.adminB).events
        #expect(seenByA.map { $0["meterId"] as? String } == [a.uuidString.lowercased()])
        #expect(seenByB.map { $0["meterId"] as? String } == [b.uuidString.lowercased(), b.uuidString.lowercased()])
        // B's cursor lies past A's events; it shows A nothing of B's.
        let afterB = try await f.call("GET", "/v1/events?after=\(seenByB.last!["id"] as! String)", token: f.adminA)
        #expect((afterB.json["items"] as? [Any])?.isEmpty == true)
    }

    /// The feed reads the events table forward without an index (one append per reading on the
    /// write path): another tenant's rows are skipped in bounded scans, and a request reads on
    /// past them instead of handing out empty pages.
    @Test func aQuietTenantSeesItsEventsPastABusyTenantsRows() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let a = try await f.addMeter(tenant: f.tenantA.rowID, serial: "12121212", key: Self.key)
        let busy = Store.eventScanLimit * 2 + 500
        try await f.store.pool.write { conn in
            _ = try conn.execute("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                INSERT INTO events (tenant_id, type, time, subject_id, data) SELECT ?, ?, 0, NULL, NULL FROM n
                """, [Int64(busy), f.tenantB.rowID, EventType.infoCodeRaised.code])
        }
        _ = try await f.post("north", [try IngestFixture.multical21(id: 12_121_212, key: Self.key, litres: 3)])
        let page = try await f.call("GET", "/v1/events", token: f.adminA)
        let items = page.json["items"] as? [[String: Any]] ?? []
        #expect(items.map { $0["meterId"] as? String } == [a.uuidString.lowercased()])
        #expect(items.first?["type"] as? String == "reading.created")
        // B sees its own rows and nothing of A's.
        let seenByB = try await Self.drain(f, token: f.adminB, limit: 500).events
        #expect(seenByB.count == busy && seenByB.allSatisfy { $0["meterId"] == nil })
    }

    @Test func aCursorBeforeWhatRetentionKeptIsGone() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        _ = try await f.addMeter(tenant: f.tenantA.rowID, serial: "55556666", key: Self.key)
        for (i, time) in ["10:00", "10:15", "10:30"].enumerated() {
            _ = try await f.post("north", [try IngestFixture.multical21(id: 55_556_666, key: Self.key, litres: UInt32(100 + i))],
                                 receivedAt: "2026-11-21T\(time):00Z")
        }
        let all = try await Self.drain(f, token: f.adminA).events
        #expect(all.count == 3)
        // Everything is older than a retention of 0 ms, but the newest event stays (ids are never reused).
        try await EventPruner.prune(f.store, retentionMillis: 0, now: Int64(Date().timeIntervalSince1970 * 1000) + 1000)
        let kept = try await Self.drain(f, token: f.adminA).events
        #expect(kept.map { $0["id"] as? String } == [all[2]["id"] as? String])
        let gone = try await f.call("GET", "/v1/events?after=\(all[0]["id"] as! String)", token: f.adminA)
        #expect(gone.status == 410)
        #expect(gone.headers["Content-Type"] == "application/problem+json")
        // The position right before what was kept is still good.
        let fine = try await f.call("GET", "/v1/events?after=\(all[1]["id"] as! String)", token: f.adminA)
        #expect(fine.status == 200 && (fine.json["items"] as? [Any])?.count == 1)
        let stream = try await f.call("GET", "/v1/events/stream?timeout=1&after=\(all[0]["id"] as! String)", token: f.adminA)
        #expect(stream.status == 410)
    }

    @Test func aLongPollAnswersWhenSomethingCommits() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        _ = try await f.addMeter(tenant: f.tenantA.rowID, serial: "77778888", key: Self.key)
        let start = try await Self.drain(f, token: f.adminA).cursor
        async let polled = f.call("GET", "/v1/events?wait=20&after=\(start)", token: f.adminA)
        try await Task.sleep(for: .milliseconds(300))
        let begun = ContinuousClock.now
        _ = try await f.post("north", [try IngestFixture.multical21(id: 77_778_888, key: Self.key, litres: 1)])
        let response = try await polled
        #expect(ContinuousClock.now - begun < .seconds(5))
        #expect((response.json["items"] as? [[String: Any]])?.map { $0["type"] as? String } == ["reading.created"])
        // Nothing new within the wait: an empty page after about that long, the cursor unchanged.
        let cursor = try #require(response.json["nextCursor"] as? String)
        let waited = ContinuousClock.now
        let empty = try await f.call("GET", "/v1/events?wait=1&after=\(cursor)", token: f.adminA)
        #expect(ContinuousClock.now - waited >= .milliseconds(900))
        #expect(empty.json["nextCursor"] as? String == cursor)
    }
}

extension IngestFixture {
    func call(_ method: String, _ path: String, token: String?, headers: [(String, String)]) async throws -> RawClient.Response {
        let port = app.port
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try RawClient.exchange(port: port, method, path, token: token, headers: headers) })
            }
        }
    }
}
