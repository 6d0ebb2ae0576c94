import Crypto
import Foundation
import Testing
@testable import App
@testable import Store
import SQLite
import TestSupport

@Suite("Key file import", .serialized, .blockingIO)
struct KeyFileImportTests {
    static let waterKey: [UInt8] = (0..<16).map { UInt8($0 * 3) }
    static let heatKey: [UInt8] = Array(repeating: 0x42, count: 16)

    @Test func createsMetersInStockUpdatesKeysAndDecodesWaitingTelegrams() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        // A telegram of a meter the tenant does not know yet: kept pending.
        let telegram = try IngestFixture.multical21(id: 61_234_567, key: Self.waterKey, litres: 1234)
        #expect(try await f.post("north", [telegram])["pending"] as? Int == 1)
        // A meter that exists with another key.
        let existing = try await f.addMeter(tenant: f.tenantA.rowID, serial: "76348799", key: Array(repeating: 1, count: 16))

        let file = try KEMTestFile.envelope(KEMTestFile.kem([
            ("61234567", "MC21", "Water", IngestFixture.hex(Self.waterKey)),
            ("76348799", "MC403", "Heat", IngestFixture.hex(Self.heatKey)),
            ("76348800", "MC403", "Heat", "NOT-A-KEY"),
        ]), password: "order42")
        let r = try await f.importKEM(file, password: "order42", token: f.adminA)
        #expect(r.status == 200, "\(r.text)")
        #expect(r.json["format"] as? String == "kem")
        #expect(r.json["created"] as? Int == 1)
        #expect(r.json["updated"] as? Int == 1)
        #expect(r.json["unchanged"] as? Int == 0)
        #expect(r.json["rejected"] as? Int == 1)
        let row = (r.json["rows"] as? [[String: Any]])?.first
        #expect(row?["row"] as? Int == 3)
        #expect(row?["pointer"] as? String == "/meters/2/key")

        let created = try #require(try await f.meter(serial: "61234567", token: f.adminA))
        #expect(created["lifecycle"] as? String == "in-stock")
        #expect(created["medium"] as? String == "water")
        #expect(created["hasKey"] as? Bool == true)
        let id = try #require(UUID(uuidString: created["id"] as? String ?? ""))
        let status = try await f.call("GET", "/v1/meters/\(id.uuidString.lowercased())/key-status", token: f.adminA)
        #expect(status.json["source"] as? String == "kem")
        let replaced = try await f.call("GET", "/v1/meters/\(existing.uuidString.lowercased())/key-status", token: f.adminA)
        #expect(replaced.json["source"] as? String == "kem")
        // The waiting telegram is decoded with the key from the file.
        #expect(try await f.eventually { try await f.readings(id, token: f.adminA).count == 1 })

        // The same file again changes nothing.
        let again = try await f.importKEM(file, password: "order42", token: f.adminA)
        #expect(again.json["unchanged"] as? Int == 2)
        #expect(again.json["created"] as? Int == 0 && again.json["updated"] as? Int == 0)
        #expect(try await f.store.pool.read { conn in
            try conn.scalar("SELECT count(*) FROM audit_events WHERE type = 'meters.key-file-imported'") as Int?
        } == 2)
    }

    @Test func badPasswordsAndBadFilesAreClearProblems() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let file = try KEMTestFile.envelope(KEMTestFile.kem([("61234567", "MC21", "Water", IngestFixture.hex(Self.waterKey))]),
                                            password: "right")
        let wrong = try await f.importKEM(file, password: "wrong", token: f.adminA)
        #expect(wrong.status == 422)
        #expect(wrong.json["detail"] as? String == "The password does not open this key file.")
        #expect(wrong.pointers == ["#/header/X-KEM-Password"])
        #expect(!wrong.text.contains("wrong\""))

        let missing = try await f.importKEM(file, password: nil, token: f.adminA)
        #expect(missing.status == 400)

        let corrupt = try await f.importKEM([0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0xAA, count: 100), password: "right",
                                            token: f.adminA)
        #expect(corrupt.status == 422)
        #expect(corrupt.json["detail"] as? String == "The ZIP archive cannot be read: it is truncated.")

        let notKEM = try await f.importKEM(Array("<html>hello</html>".utf8), password: "right", token: f.adminA)
        #expect(notKEM.status == 422)
        #expect((notKEM.json["detail"] as? String)?.hasPrefix("This is not a KEM or KEM2 key file") == true)

        // Nothing was written by any of them.
        #expect(try await f.meter(serial: "61234567", token: f.adminA) == nil)
    }

    @Test func permissionsAndTenantIsolation() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let file = try KEMTestFile.envelope(KEMTestFile.kem([("61234567", "MC21", "Water", IngestFixture.hex(Self.waterKey))]),
                                            password: "pw")
        // A user may not import.
        let user = try await f.userToken(f.tenantA.rowID)
        #expect(try await f.importKEM(file, password: "pw", token: user).status == 403)
        #expect(try await f.importKEM(file, password: "pw", token: nil).status == 401)
        // Tenant A's meter with this serial keeps its key when tenant B imports the same file.
        let mine = try await f.addMeter(tenant: f.tenantA.rowID, serial: "61234567", key: Array(repeating: 9, count: 16))
        let b = try await f.importKEM(file, password: "pw", token: f.adminB)
        #expect(b.json["created"] as? Int == 1)
        let status = try await f.call("GET", "/v1/meters/\(mine.uuidString.lowercased())/key-status", token: f.adminA)
        #expect(status.json["source"] as? String == "api")
        let theirs = try await f.meter(serial: "61234567", token: f.adminB)?["id"] as? String
        #expect(theirs != nil && theirs != mine.uuidString.lowercased())
    }
}
