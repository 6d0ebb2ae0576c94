import Foundation
import Glibc
import Synchronization
import Testing
@testable import App
@testable import Store
import SQLite

/// The schedule and the page logic without HTTP: a fake key server that fails its first
/// answer, a store in a temporary directory, and schedule minutes of 100 ms.
@Suite("Key retrieval schedule", .serialized)
struct KeySyncScheduleTests {
    final class FlakyServer: KeyServerFetching {
        let calls = Mutex<[String]>([])

        func get(_ request: KeyServerRequest) async throws(KeyServerFailure) -> (status: Int, body: [UInt8]) {
            let n = calls.withLock { calls in
                calls.append(request.url + " " + (request.bearerToken ?? "-"))
                return calls.count
            }
            if n == 1 { throw KeyServerFailure(detail: "connection refused") }
            return (200, Array(#"{"meters":[{"serial":"12345678","manufacturer":"kam","key":"000102030405060708090a0b0c0d0e0f"}]}"#.utf8))
        }
    }

    final class Changes: MeterChanges {
        let tenants = Mutex<[Int64]>([])
        func metersChanged(tenant: Int64) { tenants.withLock { $0.append(tenant) } }
    }

    @Test func aFailedScheduledRunIsRetriedByTheNextOne() async throws {
        var template = Array("/tmp/fjern-keysync-XXXXXX".utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        let store = try await Store(directory: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let setup = AuditEntry(type: "test.setup", principal: "test", client: "test")
        let tenant = try await store.createTenant(name: "T", timeZone: "UTC", audit: setup).rowID
        let vault = try KeyVault(masterKey: Array(repeating: 7, count: 32))
        _ = try await store.putKeySyncSettings(tenant: tenant, KeySyncSettingsRecord(
            baseURL: "https://keys.example/", sealedToken: try vault.seal(Array("tok".utf8), context: KeySyncService.tokenContext(tenant)),
            clientCertificatePath: nil, clientKeyPath: nil, intervalMinutes: 1, verifyPeer: true, caFile: nil),
            keepToken: false, resetCursor: false, ifVersion: nil, audit: setup)
        let server = FlakyServer(), changes = Changes()
        let service = KeySyncService(store: store, vault: vault, fetcher: server, changes: changes, minute: .milliseconds(100))
        service.startSchedule()
        var runs: [KeySyncRunRecord] = []
        let deadline = ContinuousClock.now + .seconds(30) // a cap for a loaded machine
        while ContinuousClock.now < deadline {
            runs = try await store.keySyncRuns(tenant: tenant, limit: 10, cursor: nil).items
            if runs.contains(where: { $0.state == "succeeded" }) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        await service.stopSchedule()
        let ordered = runs.reversed().map { ($0.trigger, $0.state) }
        #expect(ordered.first! == ("schedule", "failed"))
        #expect(runs.reversed().first?.error == "connection refused")
        #expect(ordered.contains { $0 == ("schedule", "succeeded") })
        #expect(server.calls.withLock { $0 }.first == "https://keys.example/meters tok")
        #expect(changes.tenants.withLock { $0 } == [tenant])
        let meter = try await store.pool.read { conn in
            try conn.scalar("SELECT manufacturer || ' ' || serial || ' ' || lifecycle FROM meters") as String?
        }
        #expect(meter == "KAM 12345678 in-stock")
        await store.close()
    }

    @Test func pageURLsAndPageParsing() throws {
        #expect(KeySyncService.pageURL(base: "https://k.example/v2/", since: nil) == "https://k.example/v2/meters")
        #expect(KeySyncService.pageURL(base: "https://k.example", since: "a b/c&d") == "https://k.example/meters?since=a%20b%2Fc%26d")
        let page = try KeyServerPage.parse(Array("""
            {"meters":[{"serial":"76348799","manufacturer":"KAM","model":"MULTICAL 603","key":"00112233445566778899AABBCCDDEEFF",
            "version":27,"deviceType":4},{"serial":"","manufacturer":"KAM","key":"00"},{"serial":"1","manufacturer":"K1M","key":"00"}],
            "nextCursor":"n1"}
            """.utf8), firstIndex: 10)
        #expect(page.nextCursor == "n1")
        #expect(try page.keys[0].get() == DeliveredKey(index: 10, manufacturer: "KAM", serial: "76348799", version: 27, deviceType: 4,
                                                        model: "MULTICAL 603", medium: "heat",
                                                        key: [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB,
                                                              0xCC, 0xDD, 0xEE, 0xFF]))
        #expect(page.keys[1] == .failure(KeySyncRunError(serial: "", reason: "serial: the serial number is missing")))
        #expect(page.keys[2] == .failure(KeySyncRunError(serial: "1", reason: "manufacturer: 'K1M' is not a manufacturer code (3 letters)")))
        #expect(throws: KeyServerPage.Failure(detail: "the key server's answer has no \"meters\" array")) {
            try KeyServerPage.parse(Array(#"{"items":[]}"#.utf8), firstIndex: 0)
        }
        #expect(throws: KeyServerPage.Failure(detail: "the key server's nextCursor is a number, not a string")) {
            try KeyServerPage.parse(Array(#"{"meters":[],"nextCursor":5}"#.utf8), firstIndex: 0)
        }
        #expect(KeySyncHandlers.allowedBaseURL("http://127.0.0.1:8080/x"))
        #expect(KeySyncHandlers.allowedBaseURL("http://[::1]:9/"))
        #expect(!KeySyncHandlers.allowedBaseURL("http://127.0.0.1.evil.example/"))
        #expect(!KeySyncHandlers.allowedBaseURL("http://localhost@evil.example/"))
        #expect(!KeySyncHandlers.allowedBaseURL("ftp://keys.example/"))
    }
}
