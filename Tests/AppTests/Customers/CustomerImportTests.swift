import Foundation
import Testing
@testable import App
@testable import Store
import TestSupport
import HTTPServer
import SQLite

@Suite("Customers: import", .serialized, .blockingIO)
struct CustomerImportTests {
    static func rows(_ r: RawClient.Response) -> [[String: Any]] { (r.json["rows"] as? [[String: Any]]) ?? [] }

    @Test func headerFieldsQuotingBomAndCounts() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        try f.createCustomer(#"{"customerNumber":"K-1","name":"Old name","phone":"11111111","city":"Vejle"}"#)
        let csv = "customerNumber;Name;phone;email;address;postalCode;city\r\n"
            + "K-1;\"Hansen; Ole\";+45 22 33 44 55;;;;\r\n"
            + "K-2;\"Two\r\nlines, \"\"quoted\"\"\";;k2@example.dk;\"Strandvej 4; st.\";8000;Aarhus\r\n"
            + "\r\n"
            + "K 3;Bad number;;;;;\r\n"
            + "K-4;;12-34;x@y;;;\r\n"
            + "K-5;;;;;;;;extra\r\n"
            + ";No number;;;;;\r\n"
            + "K-6;Trailing;;;;;;\r\n"
            + "K-2;Second row wins;;;;;"
        let response = try f.customerCSV(csv, bom: true, headers: [("Idempotency-Key", "imp-1")])
        #expect(response.status == 200, "\(response.text)")
        #expect(response.json["created"] as? Int == 2 && response.json["updated"] as? Int == 2 && response.json["rejected"] as? Int == 4)
        let rejected = Self.rows(response)
        #expect(rejected.compactMap { $0["row"] as? Int } == [3, 4, 5, 6])
        #expect(rejected.allSatisfy { $0["status"] as? String == "rejected" })
        #expect(rejected.compactMap { $0["pointer"] as? String } == ["/customers/2/customerNumber", "/customers/3/phone", "/customers/4", "/customers/5/customerNumber"])
        let fourth = try #require(rejected[1]["reason"] as? String)
        #expect(fourth.contains("phone") && fourth.contains("email"))
        #expect((rejected[2]["reason"] as? String)?.contains("9 fields") == true)

        let all = try f.customers()
        #expect(all.compactMap { $0["customerNumber"] as? String } == ["K-1", "K-2", "K-6"])
        // The update kept what the row did not give and took what it did.
        #expect(all[0]["name"] as? String == "Hansen; Ole" && all[0]["phone"] as? String == "+45 22 33 44 55")
        #expect(all[0]["city"] as? String == "Vejle")
        #expect(all[1]["name"] as? String == "Second row wins" && all[1]["email"] as? String == "k2@example.dk")
        #expect(all[1]["address"] as? String == "Strandvej 4; st." && all[1]["postalCode"] as? String == "8000")
        // One audit event summarises the import; a retry with the key replays it.
        #expect(try await f.auditCount("type = 'customers.imported' AND details = '{\"created\":2,\"updated\":2,\"rejected\":4}'") == 1)
        let replay = try f.customerCSV(csv, bom: true, headers: [("Idempotency-Key", "imp-1")])
        #expect(replay.text == response.text && replay.headers["Idempotent-Replayed"] == "true")
        #expect(try await f.auditCount("type = 'customers.imported'") == 1)

        // Quoted multi-line fields survive intact.
        let lines = try f.customerCSV("customerNumber,name\nK-7,\"a\nb \"\"c\"\"\"\n", query: "?separator=%2C")
        #expect(lines.json["created"] as? Int == 1)
        #expect(try f.customers("&q=K-7").first?["name"] as? String == "a\nb \"c\"")
    }

    @Test func mappingAndSeparators() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let mapping = "customerNumber:Kundenr,name:Navn,email:E-mail,city:By"
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let comma = "Kundenr,Navn,Ignored,E-mail,By\n100,Ida,whatever,ida@example.dk,Aarhus\n101,\"Jensen, Per\",\"a,b\",,Odense\n"
        let r1 = try f.customerCSV(comma, query: "?separator=%2C&mapping=\(mapping)")
        #expect(r1.status == 200 && r1.json["created"] as? Int == 2, "\(r1.text)")
        let tab = "Kundenr\tNavn\tBy\n102\tOle\tVejle\n"
        let tabMapping = "customerNumber:Kundenr,name:Navn,city:By".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        #expect(try f.customerCSV(tab, query: "?separator=tab&mapping=\(tabMapping)").json["created"] as? Int == 1)
        let pipe = "Kundenr|Navn|By\n100|Ida Holm|Aarhus C\n"
        let r3 = try f.customerCSV(pipe, query: "?separator=%7C&mapping=\(tabMapping)")
        #expect(r3.json["created"] as? Int == 0 && r3.json["updated"] as? Int == 1, "\(r3.text)")
        let all = try f.customers()
        #expect(all.compactMap { $0["customerNumber"] as? String } == ["100", "101", "102"])
        #expect(all[0]["name"] as? String == "Ida Holm" && all[0]["email"] as? String == "ida@example.dk")
        #expect(all[1]["name"] as? String == "Jensen, Per" && all[1]["email"] is NSNull)

        // What cannot be read is 422 (or 400 for the contract) and imports nothing.
        let unknownHeader = try f.customerCSV("customerNumber;colour\n1;red\n")
        #expect(unknownHeader.status == 422 && unknownHeader.text.contains("colour"))
        let noNumber = try f.customerCSV("name;city\nIda;Aarhus\n")
        #expect(noNumber.status == 422 && noNumber.text.contains("customerNumber"))
        let missingColumn = try f.customerCSV(comma, query: "?separator=%2C&mapping=customerNumber:Nope")
        #expect(missingColumn.status == 422 && missingColumn.pointers == ["#/query/mapping"])
        #expect(try f.customerCSV(comma, query: "?separator=%2C&mapping=colour:Kundenr").status == 422)
        #expect(try f.customerCSV(comma, query: "?separator=%2C&mapping=name:Navn,name:By").status == 422)
        let unclosed = try f.customerCSV("customerNumber;name\n1;\"Ida\n")
        #expect(unclosed.status == 422 && unclosed.text.contains("line 2"))
        #expect(try f.send("POST", "/v1/customers/import", token: f.adminA, body: [0x63, 0x3b, 0xff, 0x0a], contentType: "text/csv").status == 422)
        #expect(try f.customerCSV("").status == 422)
        #expect(try f.customerCSV(comma, query: "?separator=x").status == 400)
        #expect(try f.send("POST", "/v1/customers/import", token: f.adminA, body: Array(comma.utf8),
                           contentType: "application/json").status == 415)
        #expect(try f.customers().count == 3)
    }

    @Test func hundredThousandRows() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        var csv = "customerNumber;name;phone;email;address;postalCode;city\n"
        csv.reserveCapacity(10_000_000)
        for i in 0..<100_000 {
            csv += "C\(i);Customer \(i);+45 \(10_000_000 + i);c\(i)@example.dk;Street \(i);8000;Aarhus\n"
        }
        var start = Date()
        let created = try f.customerCSV(csv)
        let createSeconds = Date().timeIntervalSince(start)
        #expect(created.status == 200 && created.json["created"] as? Int == 100_000 && created.json["rejected"] as? Int == 0,
                "\(created.text.prefix(500))")
        start = Date()
        let updated = try f.customerCSV(csv.replacing("Aarhus", with: "Aarhus C"))
        let updateSeconds = Date().timeIntervalSince(start)
        #expect(updated.status == 200 && updated.json["updated"] as? Int == 100_000)
        print("100,000-customer CSV import: create \(String(format: "%.2f", createSeconds)) s, update \(String(format: "%.2f", updateSeconds)) s (\(csv.utf8.count) bytes)")
        let last = try f.customers("&q=C99999")
        #expect(last.count == 1 && last.first?["city"] as? String == "Aarhus C")
        #expect(try await f.auditCount("type = 'customers.imported'") == 2)
    }
}
