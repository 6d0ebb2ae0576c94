import Foundation
import Testing
import Crypto
@testable import App
@testable import Store
import TestSupport
import HTTPServer
import SQLite

@Suite("Meters: keys", .serialized, .blockingIO)
struct MeterKeyTests {
    static let keyA = "000102030405060708090A0B0C0D0E0F"
    static let keyB = "F0E1D2C3B4A5968778695A4B3C2D1E0F"

    @Test func keysAreNeverReturnedAndSealedAtRest() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        var bodies: [String] = []
        let created = try f.call("POST", "/v1/meters", token: f.adminA,
                                 body: #"{"manufacturer":"KAM","serial":"1","medium":"heat","key":"\#(Self.keyA)"}"#)
        bodies.append(created.text)
        let id = try #require(created.json["id"] as? String)
        let status = try f.call("GET", "/v1/meters/\(id)/key-status", token: f.tokens["user"])
        #expect(status.status == 200 && status.json["present"] as? Bool == true && status.json["source"] as? String == "api")
        #expect(status.json["updatedAt"] is String)
        bodies.append(status.text)
        let put = try f.call("PUT", "/v1/meters/\(id)/key", token: f.adminA, body: #"{"key":"\#(Self.keyB.lowercased())"}"#)
        #expect(put.status == 204)
        bodies.append(try f.call("GET", "/v1/meters/\(id)", token: f.adminA).text)
        bodies.append(try f.call("GET", "/v1/meters?limit=500", token: f.adminA).text)
        let patched = try f.call("PATCH", "/v1/meters/\(id)", token: f.adminA, body: #"{"key":"\#(Self.keyA)"}"#)
        #expect(patched.status == 200 && patched.json["hasKey"] as? Bool == true)
        bodies.append(patched.text)
        bodies.append(try f.call("POST", "/v1/meters/import", token: f.adminA,
                                 body: #"{"meters":[{"manufacturer":"KAM","serial":"2","medium":"heat","key":"\#(Self.keyB)"}]}"#).text)
        bodies.append(try f.csv("manufacturer;serial;medium;key\nKAM;3;heat;\(Self.keyB)\n").text)
        // The audit log holds no key either.
        bodies.append(try f.call("GET", "/v1/audit-events?limit=500", token: f.adminA).text)
        for body in bodies {
            for key in [Self.keyA, Self.keyB] {
                #expect(!body.uppercased().contains(key), "\(body)")
            }
        }
        // At rest: neither key's bytes in the database or its WAL.
        let files = try FileManager.default.contentsOfDirectory(atPath: f.directory).filter { $0.hasPrefix("fjern.sqlite") }
        let bytes = try files.flatMap { Array(try Data(contentsOf: URL(fileURLWithPath: f.directory + "/" + $0))) }
        for key in [Self.keyA, Self.keyB] {
            let raw = try Hex.decode(key)
            #expect(!bytes.contains(raw) && !bytes.contains(Array(key.utf8)))
        }
        // Sealed to its meter row: the vault opens it only with that row id.
        let (row, sealed, source): (Int64, [UInt8], String) = try await f.store.pool.read { conn in
            var found: (Int64, [UInt8], String) = (0, [], "")
            try conn.query("SELECT k.meter_id, k.sealed, k.source FROM meter_keys k JOIN meters m ON m.id = k.meter_id WHERE m.serial = '2'") {
                found = ($0.int64(0), $0.blob(1), $0.string(2))
            }
            return found
        }
        #expect(source == "import")
        let vault = try KeyVault.open(dataDirectory: f.directory, environmentKey: nil)
        #expect(try vault.unseal(sealed, meter: row) == Hex.decode(Self.keyB))
        #expect(throws: (any Error).self) { try vault.unseal(sealed, meter: row + 1) }
    }

    @Test func keyStatusAndDeletion() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let meter = try f.createMeter(#"{"manufacturer":"KAM","serial":"1","medium":"heat"}"#)
        let id = try #require(meter["id"] as? String)
        #expect(meter["hasKey"] as? Bool == false)
        let none = try f.call("GET", "/v1/meters/\(id)/key-status", token: f.adminA)
        #expect(none.json["present"] as? Bool == false && none.json["source"] is NSNull && none.json["updatedAt"] is NSNull)
        #expect(try f.call("PUT", "/v1/meters/\(id)/key", token: f.adminA, body: #"{"key":"\#(Self.keyA)"}"#).status == 204)
        let after = try f.call("GET", "/v1/meters/\(id)", token: f.adminA)
        #expect(after.json["hasKey"] as? Bool == true && after.headers["ETag"] == "\"2\"")
        for bad in [#"{"key":"00"}"#, #"{"key":"ZZ0102030405060708090A0B0C0D0E0F"}"#, #"{}"#, #"{"key":"\#(Self.keyA)","x":1}"#] {
            let response = try f.call("PUT", "/v1/meters/\(id)/key", token: f.adminA, body: bad)
            #expect(response.status == 400, "\(bad)")
        }
        #expect(try f.call("DELETE", "/v1/meters/\(id)/key", token: f.adminA).status == 204)
        #expect(try f.call("GET", "/v1/meters/\(id)/key-status", token: f.adminA).json["present"] as? Bool == false)
        #expect(try f.call("GET", "/v1/meters/\(UUID().uuidString)/key-status", token: f.adminA).status == 404)
        #expect(try await f.auditCount("type = 'meter.key-set'") == 1)
        #expect(try await f.auditCount("type = 'meter.key-deleted'") == 1)
    }

    @Test func fieldDevicesFetchTheirTenantsKeys() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        for serial in 1...5 {
            let key = serial == 3 ? "" : #","key":"\#(String(format: "%032X", serial))""#
            try f.createMeter(#"{"manufacturer":"KAM","serial":"\#(serial)","version":27,"medium":"heat"\#(key)}"#)
        }
        try f.createMeter(#"{"manufacturer":"KAM","serial":"9","medium":"heat","key":"\#(Self.keyB)"}"#, token: f.adminB)
        let (device, deviceID) = try await f.fieldDevice(f.tenantA.rowID, keyAccess: true)
        let path = "/v1/field-devices/\(deviceID.uuidString.lowercased())/keys"
        var keys: [[String: Any]] = []
        var next: String? = nil
        repeat {
            let page = try f.call("GET", path + "?limit=2" + (next.map { "&cursor=\($0)" } ?? ""), token: device)
            #expect(page.status == 200, "\(page.text)")
            keys += (page.json["keys"] as? [[String: Any]]) ?? []
            next = page.json["nextCursor"] as? String
        } while next != nil
        #expect(keys.compactMap { $0["serial"] as? String } == ["1", "2", "4", "5"])
        #expect(keys.compactMap { $0["key"] as? String } == [1, 2, 4, 5].map { String(format: "%032X", $0) })
        #expect(keys.allSatisfy { $0["version"] as? Int == 27 && $0["deviceType"] is NSNull && $0["manufacturer"] as? String == "KAM" })
        #expect(try await f.auditCount("type = 'keys.read' AND token_public_id = '\(deviceID.uuidString.lowercased())'") == 2)

        // Without key access: 403. Another device's id: 404. People never: 403.
        let (plain, plainID) = try await f.fieldDevice(f.tenantA.rowID, keyAccess: false)
        #expect(try f.call("GET", "/v1/field-devices/\(plainID.uuidString.lowercased())/keys", token: plain).status == 403)
        #expect(try f.call("GET", "/v1/field-devices/\(plainID.uuidString.lowercased())/keys", token: device).status == 404)
        #expect(try f.call("GET", path, token: f.adminA).status == 403)
        #expect(try f.call("GET", path, token: f.tokens["collector"]).status == 403)
        // A device of tenant B sees only B's key, and A's device id is 404 for it.
        let (deviceB, deviceBID) = try await f.fieldDevice(f.tenantB.rowID, keyAccess: true)
        #expect(try f.call("GET", path, token: deviceB).status == 404)
        let b = try f.call("GET", "/v1/field-devices/\(deviceBID.uuidString.lowercased())/keys", token: deviceB)
        #expect(((b.json["keys"] as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String } == [Self.keyB])
        // Revoking key access takes effect on the next request.
        _ = try await f.store.updateToken(tenant: f.tenantA.rowID, id: deviceID, name: nil, keyAccess: false, audit: AccessFixture.setup)
        #expect(try f.call("GET", path, token: device).status == 403)
        #expect(try f.call("GET", "/v1/field-devices/\(deviceBID.uuidString.lowercased())/keys?limit=10001", token: deviceB).status == 400)
    }
}
