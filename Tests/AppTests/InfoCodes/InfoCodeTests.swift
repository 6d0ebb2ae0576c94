import Crypto
import Foundation
import HTTPServer
import MBus
import Testing
@testable import App
@testable import Store
import SQLite
import TestSupport

/// Info codes over real sockets: ingest of real Kamstrup telegrams → occurrences → list, CSV
/// export, the meter list's flag, and clearing by a later telegram.
@Suite(.serialized, .blockingIO)
struct InfoCodeTests {
    /// wmbusmeters' MULTICAL 21 76348799 (simulations/serial_aes.msg): ELL AES-CTR, status DRY,
    /// dry for 22-31 days (info register 0x0071).
    static let realTelegram = "2A442D2C998734761B168D2091D37CAC21E1D68CDAFFCD3DC452BD802913FF7B1706CA9E355D6C2701CC24"
    static let realKey: [UInt8] = try! Hex.decode("28F64A24988064A079AA2C807D6102AE")

    @Test func realTelegramRaisesAnOccurrenceThatALaterTelegramClears() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "76348799", key: Self.realKey)
        let id = meter.uuidString.lowercased()
        let raisedAt = IngestFixture.ago(hours: 49)
        _ = try await f.post("north", [try Hex.decode(Self.realTelegram)], receivedAt: raisedAt.text)

        #expect(try await f.eventually { try await f.infoCodes("&active=true").count == 1 })
        let active = try await f.infoCodes("&active=true")
        try #require(active.count == 1)
        let row = active[0]
        #expect(row["infoCode"] as? String == "dry" && row["title"] as? String == "Dry" && row["severity"] as? String == "major")
        #expect(row["meterId"] as? String == id && row["serialNumber"] as? String == "76348799" && row["manufacturer"] as? String == "KAM")
        #expect(row["rawBits"] as? Int == 0x71 && row["bits"] as? [Int] == [0])
        #expect(seconds(row["readingTime"]) == raisedAt.seconds && seconds(row["firstSeen"]) == raisedAt.seconds)
        #expect(seconds(row["lastSeen"]) == raisedAt.seconds && row["active"] as? Bool == true && row["clearedAt"] == nil)
        // 49 hours back touches the local days from then to today (Europe/Copenhagen: tenant A's zone).
        #expect(row["historicalDays"] as? Int == localDays(raisedAt.seconds, Int64(Date().timeIntervalSince1970)))
        #expect(row["historical"] as? String == "Dry has been recorded for more than 1 day within the last 30 days")
        #expect(try await meterList(f, "hasActiveInfoCodes=true") == [id])
        #expect(try await f.call("GET", "/v1/meters/\(id)", token: f.adminA).json["activeInfoCodes"] as? [String] == ["dry"])

        // The same code again later: still one occurrence, last seen moves with the meter's readings.
        let seenAgain = IngestFixture.ago(hours: 30)
        let stillDry = try IngestFixture.multical21(id: 76_348_799, key: Self.realKey, litres: 6410, info: 0x0071, access: 2)
        _ = try await f.post("north", [stillDry], receivedAt: seenAgain.text)
        let again = try await f.infoCodes()
        #expect(again.count == 1 && seconds(again.first?["lastSeen"]) == seenAgain.seconds)

        let csv = try await f.call("GET", "/v1/info-codes/export?columns=readingTime,serialNumber,infoCode,historical,active&separator=%3B",
                                   token: f.adminA)
        #expect(csv.status == 200 && csv.headers["content-type"]?.hasPrefix("text/csv") == true)
        #expect(csvRecords(csv.text, separator: ";") == [
            ["readingTime", "serialNumber", "infoCode", "historical", "active"],
            [String(try #require(row["readingTime"] as? String)), "76348799", "Dry", "Dry has been recorded for more than 1 day within the last 30 days", "true"],
        ])

        let clearedAt = IngestFixture.ago(hours: 20)
        let clear = try IngestFixture.multical21(id: 76_348_799, key: Self.realKey, litres: 6420, info: 0, access: 3)
        _ = try await f.post("north", [clear], receivedAt: clearedAt.text)
        #expect(try await f.infoCodes("&active=true").isEmpty)
        let cleared = try await f.infoCodes("&active=false")
        try #require(cleared.count == 1)
        #expect(cleared[0]["active"] as? Bool == false && seconds(cleared[0]["clearedAt"]) == clearedAt.seconds)
        #expect(seconds(cleared[0]["lastSeen"]) == seenAgain.seconds && seconds(cleared[0]["readingTime"]) == raisedAt.seconds)
        #expect(cleared[0]["historicalDays"] as? Int == localDays(raisedAt.seconds, clearedAt.seconds - 1))
        #expect(try await meterList(f, "hasActiveInfoCodes=true").isEmpty)
        #expect(try await meterList(f, "hasActiveInfoCodes=false") == [id])

        // Raised again: a second occurrence; the meter's own history lists both, newest first (codes
        // raised by one reading: the later occurrence first).
        let leakAt = IngestFixture.ago(hours: 2)
        let leak = try IngestFixture.multical21(id: 76_348_799, key: Self.realKey, litres: 6430, info: 0x0005, access: 4)
        _ = try await f.post("north", [leak], receivedAt: leakAt.text)
        let history = try await f.infoCodes(path: "/v1/meters/\(id)/info-codes", limit: 1)
        #expect(history.map { $0["infoCode"] as? String } == ["leak", "dry", "dry"])
        #expect(history.map { $0["active"] as? Bool } == [true, true, false])
        let bySeverity = try await f.infoCodes("&sort=-severity,-readingTime", limit: 2)
        #expect(bySeverity.map { $0["infoCode"] as? String } == ["leak", "dry", "dry"])
        #expect(try await f.call("GET", "/v1/meters/\(id)", token: f.adminA).json["activeInfoCodes"] as? [String] == ["dry", "leak"])
        // Active occurrences and the meter's codes agree, as the database holds them.
        let stored: [String] = try await f.store.pool.read { conn in
            var codes: [String] = []
            try conn.query("SELECT code FROM info_code_occurrences WHERE cleared_at IS NULL ORDER BY code") { codes.append($0.string(0)) }
            return codes
        }
        let flagged: String? = try await f.store.pool.read { conn in try conn.scalar("SELECT active_info_codes FROM meters", []) }
        #expect(stored.joined(separator: ",") == flagged)
    }

    @Test func listFiltersSortsAndPagesStably() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let key: [UInt8] = Array(0..<16)
        var ids: [String] = []
        // Meter n raises: 1 dry (major), 2 leak (critical), 3 burst+reverse (critical, major), 4 nothing.
        let infos: [UInt16] = [0x0001, 0x0004, 0x000A, 0]
        for (n, info) in infos.enumerated() {
            let serial = 10_000_001 + n
            ids.append(try await f.addMeter(tenant: f.tenantA.rowID, serial: String(serial), key: key).uuidString.lowercased())
            let t = try IngestFixture.multical21(id: UInt32(serial), key: key, litres: 100, info: info)
            _ = try await f.post("north", [t], receivedAt: IngestFixture.ago(hours: Double(10 - n)).text)
        }
        // A telegram that arrived before ingest's directory knew its meter is decoded by the retry in the background.
        #expect(try await f.eventually { try await f.infoCodes().count == 4 })
        let newest = try await f.infoCodes()
        #expect(newest.count == 4)
        let times = newest.compactMap { $0["readingTime"] as? String }
        #expect(times == times.sorted(by: >))
        let oldest = try await f.infoCodes("&sort=readingTime", limit: 1)
        #expect(oldest.map { $0["id"] as? String } == newest.reversed().map { $0["id"] as? String })
        let ranked = try await f.infoCodes("&sort=-severity,-readingTime", limit: 1)
        #expect(ranked.map { $0["severity"] as? String } == ["critical", "critical", "major", "major"])
        #expect(ranked.map { $0["meterId"] as? String } == [ids[2], ids[1], ids[2], ids[0]])
        let ascending = try await f.infoCodes("&sort=severity", limit: 3)
        #expect(Set(ascending.prefix(2).map { $0["meterId"] as? String }) == [ids[0], ids[2]])
        #expect(Set(ascending.compactMap { $0["id"] as? String }).count == 4)

        #expect(try await f.infoCodes("&code=leak").map { $0["meterId"] as? String } == [ids[1]])
        #expect(try await f.infoCodes("&meterId=\(ids[2])").count == 2)
        #expect(try await f.infoCodes("&to=\(IngestFixture.ago(hours: 9.5).text)").map { $0["meterId"] as? String } == [ids[0]])
        #expect(try await f.infoCodes("&from=\(IngestFixture.ago(hours: 1).text)").count == 4) // all still active
        let group = try await f.call("POST", "/v1/groups", token: f.adminA, body: #"{"name":"west"}"#).json["id"] as! String
        _ = try await f.call("POST", "/v1/groups/\(group)/members", token: f.adminA, body: #"{"meterIds":["\#(ids[1])","\#(ids[3])"]}"#)
        #expect(try await f.infoCodes("&group=\(group)").map { $0["meterId"] as? String } == [ids[1]])
        #expect(try await f.infoCodes("&group=non-grouped").count == 3)
        #expect(try await f.infoCodes("&group=all").count == 4)

        // Another tenant sees none of it; its meter is 404 here as a filter and a path.
        #expect(try await f.infoCodes(token: f.adminB).isEmpty)
        #expect(try await f.call("GET", "/v1/info-codes?meterId=\(ids[0])", token: f.adminB).status == 404)
        #expect(try await f.call("GET", "/v1/meters/\(ids[0])/info-codes", token: f.adminB).status == 404)
        #expect(try await f.call("GET", "/v1/info-codes/export?meterId=\(ids[0])", token: f.adminB).status == 404)
        #expect(try await f.call("GET", "/v1/info-codes?group=\(group)", token: f.adminB).status == 404)

        // A deleted meter's occurrences leave the list.
        let deleted = try await f.callWith("DELETE", "/v1/meters/\(ids[0])", token: f.adminA, headers: [("If-Match", "*")])
        #expect(deleted.status == 204)
        #expect(try await f.infoCodes().count == 3)
    }

    @Test func badParametersAre400WithAPointer() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        for (query, pointer) in [("code=not-a-code", "#/query/code"), ("sort=severity,-severity", "#/query/sort"),
                                 ("cursor=czzzzzzzzzzzzz_0_0", "#/query/cursor"), ("sort=-readingTime,nope", "#/query/sort"),
                                 ("cursor=c1", "#/query/cursor"), ("active=maybe", "#/query/active")] {
            let r = try await f.call("GET", "/v1/info-codes?\(query)", token: f.adminA)
            #expect(r.status == 400, "\(query)")
            #expect(r.headers["content-type"]?.hasPrefix("application/problem+json") == true)
            #expect(((r.json["errors"] as? [[String: Any]])?.first?["pointer"] as? String) == pointer, "\(query): \(r.text)")
        }
        for (query, pointer) in [("columns=readingTime,password", "#/query/columns"), ("columns=address,address", "#/query/columns"),
                                 ("columns=", "#/query/columns"), ("separator=x", "#/query/separator")] {
            let r = try await f.call("GET", "/v1/info-codes/export?\(query)", token: f.adminA)
            #expect(r.status == 400, "\(query)")
            #expect(((r.json["errors"] as? [[String: Any]])?.first?["pointer"] as? String) == pointer, "\(query): \(r.text)")
        }
        #expect(try await f.call("GET", "/v1/info-codes?meterId=\(UUID().uuidString.lowercased())", token: f.adminA).status == 404)
        #expect(try await f.call("GET", "/v1/info-codes?group=\(UUID().uuidString.lowercased())", token: f.adminA).status == 404)
        #expect(try await f.call("GET", "/v1/meters/\(UUID().uuidString.lowercased())/info-codes", token: f.adminA).status == 404)
    }

    @Test func permissions() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let user = try await f.userToken()
        // The `user` role views and exports; a collector does neither; no token is 401.
        #expect(try await f.call("GET", "/v1/info-codes", token: user).status == 200)
        #expect(try await f.call("GET", "/v1/info-codes/export", token: user).status == 200)
        #expect(try await f.call("GET", "/v1/info-code-types", token: user).status == 200)
        let collector = f.units["north"]!.token
        #expect(try await f.call("GET", "/v1/info-codes", token: collector).status == 403)
        #expect(try await f.call("GET", "/v1/info-codes/export", token: collector).status == 403)
        #expect(try await f.call("GET", "/v1/info-codes", token: nil).status == 401)
        // Without the export permission, the export is 403 while the list still answers.
        let roles = try await f.callWith("PUT", "/v1/roles/user/permissions", token: f.adminA, body: #"{"permissions":["view"]}"#,
                                         headers: [("If-Match", "*")])
        #expect(roles.status == 200, "\(roles.text)")
        #expect(try await f.call("GET", "/v1/info-codes/export", token: user).status == 403)
        #expect(try await f.call("GET", "/v1/info-codes", token: user).status == 200)
    }

    @Test func catalogueIsWhatTheMapsEmitMostSevereFirst() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let r = try await f.call("GET", "/v1/info-code-types", token: f.adminA)
        #expect(r.status == 200)
        let items = r.json["items"] as? [[String: Any]] ?? []
        #expect(Set(items.compactMap { $0["code"] as? String }) == InfoCodeMaps.emittedCodes)
        #expect(items.count == InfoCodeMaps.catalogue.count)
        let order = ["critical", "major", "minor", "info"]
        let ranks = items.compactMap { ($0["severity"] as? String).flatMap(order.firstIndex) }
        #expect(ranks.count == items.count && ranks == ranks.sorted())
        let leak = items.first { $0["code"] as? String == "leak" }
        #expect(leak?["severity"] as? String == "critical" && leak?["title"] as? String == "Leak")
        #expect(items.allSatisfy { !(($0["description"] as? String) ?? "").isEmpty })
    }

    private func seconds(_ value: Any?) -> Int64? {
        guard let text = value as? String,
              let date = (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
                  ?? (try? Date.ISO8601FormatStyle().parse(text)) else { return nil }
        return Int64(date.timeIntervalSince1970.rounded())
    }

    /// Calendar days from `a`'s to `b`'s in Copenhagen, both included: an independent count by Calendar.
    private func localDays(_ a: Int64, _ b: Int64) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Copenhagen")!
        let start = calendar.startOfDay(for: Date(timeIntervalSince1970: Double(a)))
        let end = calendar.startOfDay(for: Date(timeIntervalSince1970: Double(b)))
        return calendar.dateComponents([.day], from: start, to: end).day! + 1
    }

    private func meterList(_ f: IngestFixture, _ query: String) async throws -> [String] {
        let page = try await f.call("GET", "/v1/meters?\(query)", token: f.adminA)
        return (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }
}

/// Migration 0005 turns the codes meters already carry into occurrences.
@Suite(.serialized, .blockingIO)
struct InfoCodeMigrationTests {
    @Test func activeCodesBeforeTheMigrationBecomeOccurrences() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "55500001", key: nil)
        let sql = try #require(Schema.migrations.first { $0.id == "0005-info-codes" }?.sql)
        let backfill = String(try #require(sql.range(of: "WITH RECURSIVE").map { sql[$0.lowerBound...] }))
        try await f.store.pool.write { conn in
            _ = try conn.execute("UPDATE meters SET active_info_codes = 'dry,leak', updated_at = 1700000000000 WHERE public_id = ?",
                                 [meter.uuidString.lowercased()])
            try conn.execute(backfill)
        }
        let rows = try await f.infoCodes("&active=true&sort=severity")
        #expect(rows.map { $0["infoCode"] as? String } == ["dry", "leak"])
        #expect(rows.allSatisfy { ($0["readingTime"] as? String)?.hasPrefix("2023-11-14T22:13:20") == true })
        #expect(Set(rows.compactMap { $0["id"] as? String }).count == 2)
        #expect(rows.allSatisfy { UUID(uuidString: $0["id"] as? String ?? "") != nil })
    }
}
