import Foundation
import Testing
@testable import App
@testable import Store
import TestSupport
import HTTPServer
import SQLite

@Suite("Meters: import", .serialized, .blockingIO)
struct MeterImportTests {
    static func rows(_ r: RawClient.Response) -> [[String: Any]] { (r.json["rows"] as? [[String: Any]]) ?? [] }

    func meters(_ f: AccessFixture, _ query: String = "") throws -> [[String: Any]] {
        try f.call("GET", "/v1/meters?limit=500" + query, token: f.adminA).jsonArray
    }

    @Test func jsonImportCreatesUpdatesAndReportsRejectedRows() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        try f.createMeter(#"{"manufacturer":"KAM","serial":"1","version":27,"medium":"heat","model":"old","label":"keep"}"#)
        let body = """
            {"meters":[
              {"manufacturer":"KAM","serial":"1","version":27,"medium":"heat","model":"MULTICAL 603","meteringPoint":{"city":"Aarhus"}},
              {"manufacturer":"KAM","serial":"2","medium":"water"},
              {"manufacturer":"kam","serial":"3","medium":"heat"},
              {"manufacturer":"KAM","serial":"4","medium":"heat","key":"123"},
              "not an object",
              {"manufacturer":"KAM","serial":"5","medium":"heat","meteringPoint":{"latitude":100},"extra":true},
              {"manufacturer":"KAM","serial":"2","medium":"water","label":"second row wins"}
            ]}
            """
        let response = try f.call("POST", "/v1/meters/import", token: f.adminA, body: body, headers: [("Idempotency-Key", "imp")])
        #expect(response.status == 200, "\(response.text)")
        #expect(response.json["created"] as? Int == 1 && response.json["updated"] as? Int == 2 && response.json["rejected"] as? Int == 4)
        let rejected = Self.rows(response)
        #expect(rejected.compactMap { $0["row"] as? Int } == [3, 4, 5, 6])
        #expect(rejected.allSatisfy { $0["status"] as? String == "rejected" })
        #expect(rejected.compactMap { $0["pointer"] as? String } == ["/meters/2/manufacturer", "/meters/3/key", "/meters/4", "/meters/5/extra"])
        let sixth = try #require(rejected.last?["reason"] as? String)
        #expect(sixth.contains("meteringPoint/latitude") && sixth.contains("extra"))
        let all = try meters(f)
        #expect(all.compactMap { $0["serial"] as? String } == ["1", "2"])
        // The update kept what the row did not give and took what it did.
        #expect(all[0]["model"] as? String == "MULTICAL 603" && all[0]["label"] as? String == "keep")
        #expect((all[0]["meteringPoint"] as? [String: Any])?["city"] as? String == "Aarhus")
        #expect(all[1]["label"] as? String == "second row wins")
        // One audit event summarises the import.
        #expect(try await f.auditCount("type = 'meters.imported' AND details = '{\"created\":1,\"updated\":2,\"rejected\":4}'") == 1)
        // A retry with the same key is the same answer, not another import.
        let replay = try f.call("POST", "/v1/meters/import", token: f.adminA, body: body, headers: [("Idempotency-Key", "imp")])
        #expect(replay.text == response.text && replay.headers["Idempotent-Replayed"] == "true")
        #expect(try await f.auditCount("type = 'meters.imported'") == 1)
        // The whole body must still be the contract's shape.
        #expect(try f.call("POST", "/v1/meters/import", token: f.adminA, body: #"{"meters":{}}"#).status == 400)
        #expect(try f.call("POST", "/v1/meters/import", token: f.adminA, body: #"{"rows":[]}"#).status == 400)
    }

    @Test func importRespectsTheMeteringPointLimit() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        try await f.store.setMaxMeteringPoints(tenant: f.tenantA.rowID, 3, audit: AccessFixture.setup)
        try f.createMeter(#"{"manufacturer":"KAM","serial":"1","medium":"heat","meteringPoint":{"city":"A"}}"#)
        let rows = (2...5).map { #"{"manufacturer":"KAM","serial":"\#($0)","medium":"heat","meteringPoint":{"city":"X"}}"# }
            + [#"{"manufacturer":"KAM","serial":"6","medium":"heat"}"#,
               #"{"manufacturer":"KAM","serial":"1","medium":"heat","meteringPoint":{"city":"B"}}"#]
        let response = try f.call("POST", "/v1/meters/import", token: f.adminA, body: #"{"meters":[\#(rows.joined(separator: ","))]}"#)
        #expect(response.status == 200)
        #expect(response.json["created"] as? Int == 3 && response.json["updated"] as? Int == 1 && response.json["rejected"] as? Int == 2)
        let rejected = Self.rows(response)
        #expect(rejected.compactMap { $0["row"] as? Int } == [3, 4])
        #expect(rejected.allSatisfy { ($0["reason"] as? String)?.contains("limit of 3 metering points") == true })
        #expect(try meters(f).compactMap { $0["serial"] as? String } == ["1", "2", "3", "6"])
        #expect(try await f.store.pool.read { conn -> Int in try conn.scalar("SELECT count(*) FROM metering_points") ?? 0 } == 3)
    }

    @Test func csvWithHeaderFields() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let csv = "manufacturer;serial;version;medium;paths;address;city;latitude;longitude;label\r\n"
            + "KAM;76348799;27;heat;fixed-network drive-by;\"Vestergade 2; 1. th\";Aarhus;56,15;10,2;\"two\r\nlines, \"\"quoted\"\"\"\r\n"
            + "\r\n"
            + "KAM;76348800;;water;;;;;;\r\n"
            + "KAM;bad-serial;;heat;;;;;;\r\n"
            + "KAM;76348801;x;heat;;;;;;\r\n"
            + "KAM;76348802;;heat;;;;;;;extra\r\n"
            + "KAM;76348804;;heat;;;;;;;\r\n"
            + "KAM;76348803;;cooling;wired-mbus;;;;;"
        let response = try f.csv(csv, bom: true)
        #expect(response.status == 200, "\(response.text)")
        #expect(response.json["created"] as? Int == 4 && response.json["rejected"] as? Int == 3)
        let rejected = Self.rows(response)
        #expect(rejected.compactMap { $0["row"] as? Int } == [3, 4, 5])
        #expect(rejected.compactMap { $0["pointer"] as? String } == ["/meters/2/serial", "/meters/3/version", "/meters/4"])
        let all = try meters(f)
        #expect(all.compactMap { $0["serial"] as? String } == ["76348799", "76348800", "76348804", "76348803"])
        let first = all[0]
        #expect(first["label"] as? String == "two\r\nlines, \"quoted\"")
        #expect(first["paths"] as? [String] == ["drive-by", "fixed-network"] && first["version"] as? Int == 27)
        let point = try #require(first["meteringPoint"] as? [String: Any])
        #expect(point["address"] as? String == "Vestergade 2; 1. th" && point["latitude"] as? Double == 56.15)
        #expect(all[1]["meteringPoint"] is NSNull && all[1]["lifecycle"] as? String == "in-stock")
        #expect(all[3]["paths"] as? [String] == ["wired-mbus"])
    }

    @Test func csvWithMappingAndSeparators() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let mapping = "serial:Meter no,manufacturer:Mfr,medium:Type,customerNumber:Customer"
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let comma = "Mfr,Meter no,Ignored column,Type,Customer\nKAM,1,whatever,heat,C-1\nKAM,2,\"a,b\",water,\n"
        let r1 = try f.csv(comma, query: "?separator=%2C&mapping=\(mapping)")
        #expect(r1.status == 200 && r1.json["created"] as? Int == 2, "\(r1.text)")
        let tab = "Mfr\tMeter no\tType\tCustomer\nKAM\t3\theat\tC-3\n"
        #expect(try f.csv(tab, query: "?separator=tab&mapping=\(mapping)").json["created"] as? Int == 1)
        let pipe = "Mfr|Meter no|Type|Customer\nKAM|1|electricity|C-9\n"
        let r3 = try f.csv(pipe, query: "?separator=%7C&mapping=\(mapping)")
        #expect(r3.json["created"] as? Int == 0 && r3.json["updated"] as? Int == 1)
        let all = try meters(f)
        #expect(all.compactMap { $0["serial"] as? String } == ["1", "2", "3"])
        #expect(all[0]["medium"] as? String == "electricity")
        #expect((all[0]["meteringPoint"] as? [String: Any])?["customerNumber"] as? String == "C-9")
        #expect(all[1]["meteringPoint"] is NSNull)

        // What cannot be read is 422 (or 400 for the contract), and imports nothing.
        let unknownHeader = try f.csv("manufacturer;serial;colour\nKAM;9;red\n")
        #expect(unknownHeader.status == 422 && unknownHeader.text.contains("colour"))
        let missingColumn = try f.csv(comma, query: "?separator=%2C&mapping=serial:Nope")
        #expect(missingColumn.status == 422 && missingColumn.pointers == ["#/query/mapping"])
        #expect(try f.csv(comma, query: "?separator=%2C&mapping=colour:Mfr").status == 422)
        #expect(try f.csv(comma, query: "?separator=%2C&mapping=serial:Mfr,serial:Type").status == 422)
        let unclosed = try f.csv("manufacturer;serial;medium\nKAM;\"9;heat\n")
        #expect(unclosed.status == 422 && unclosed.text.contains("line 2"))
        #expect(try f.csv("manufacturer;serial;medium\nKAM;\"9\"x;heat\n").status == 422)
        #expect(try f.send("POST", "/v1/meters/import/csv", token: f.adminA, body: [0x6d, 0x3b, 0xff, 0x0a],
                           contentType: "text/csv").status == 422)
        #expect(try f.csv("").status == 422)
        #expect(try f.csv(comma, query: "?separator=x").status == 400)
        #expect(try f.send("POST", "/v1/meters/import/csv", token: f.adminA, body: Array(comma.utf8),
                           contentType: "application/json").status == 415)
        #expect(try f.csv("manufacturer;serial;medium\nKAM;9;heat\n", token: f.tokens["user"]).status == 403)
        #expect(try meters(f).count == 3)
    }

    @Test func hundredThousandRows() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        var csv = "manufacturer;serial;version;deviceType;medium;model;paths;key;address;postalCode;city;latitude;longitude;customerNumber\n"
        csv.reserveCapacity(16_000_000)
        for i in 0..<100_000 {
            csv += "KAM;\(10_000_000 + i);27;4;heat;MULTICAL 603;fixed-network;\(String(format: "%032X", i));Street \(i);8000;Aarhus;56,1;10,2;C\(i)\n"
        }
        var start = Date()
        let response = try f.csv(csv)
        let csvSeconds = Date().timeIntervalSince(start)
        #expect(response.status == 200, "\(response.text.prefix(500))")
        #expect(response.json["created"] as? Int == 100_000 && response.json["rejected"] as? Int == 0)
        // The same meters again as JSON: all updates.
        var json = #"{"meters":["#
        json.reserveCapacity(20_000_000)
        for i in 0..<100_000 {
            if i > 0 { json += "," }
            json += #"{"manufacturer":"KAM","serial":"\#(10_000_000 + i)","version":27,"deviceType":4,"medium":"heat","label":"L\#(i)","meteringPoint":{"city":"Aarhus C"}}"#
        }
        json += "]}"
        start = Date()
        let update = try f.send("POST", "/v1/meters/import", token: f.adminA, body: Array(json.utf8), contentType: "application/json")
        let jsonSeconds = Date().timeIntervalSince(start)
        #expect(update.status == 200 && update.json["updated"] as? Int == 100_000, "\(update.text.prefix(500))")
        print("100,000-row import: CSV create \(String(format: "%.2f", csvSeconds)) s (\(csv.utf8.count) bytes), JSON update \(String(format: "%.2f", jsonSeconds)) s (\(json.utf8.count) bytes)")
        let (meters, keys, points): (Int, Int, Int) = try await f.store.pool.read { conn in
            (try conn.scalar("SELECT count(*) FROM meters") ?? 0, try conn.scalar("SELECT count(*) FROM meter_keys") ?? 0,
             try conn.scalar("SELECT count(*) FROM metering_points") ?? 0)
        }
        #expect(meters == 100_000 && keys == 100_000 && points == 100_000)
        let last = try f.call("GET", "/v1/meters?q=10099999", token: f.adminA).jsonArray
        #expect(last.count == 1 && last.first?["label"] as? String == "L99999")
        // The limit is 100,000: one more metering point is refused.
        let more = try f.call("POST", "/v1/meters", token: f.adminA, body: #"{"manufacturer":"KAM","serial":"1","medium":"heat","meteringPoint":{}}"#)
        #expect(more.status == 409)
    }
}
