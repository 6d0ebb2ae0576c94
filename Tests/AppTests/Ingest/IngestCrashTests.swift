import Crypto
import Foundation
import Glibc
import Synchronization
import Testing
@testable import App
import SQLite
@testable import Store
import TestSupport

/// A real `fjern` process is killed with SIGKILL while four collectors stream telegrams; after
/// a restart every telegram it acknowledged has its reading. Three rounds on the same data.
@Suite("Ingest crash safety", .serialized, .blockingIO)
struct IngestCrashTests {
    static let masterKey = String(repeating: "3c", count: 32)
    static let meterKey: [UInt8] = Array(repeating: 0x42, count: 16)
    static let meters = 200

    static func serve(dataDir: String, port: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CrashSafetyTests.binary)
        process.arguments = ["serve", "--addr", "127.0.0.1:\(port)", "--data-dir", dataDir, "--log-requests", "off"]
        process.environment = ["FJERN_MASTER_KEY": masterKey, "PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 {
            if let client = try? RawClient(port: port, timeoutSeconds: 2),
               (try? client.send("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")) != nil, (try? client.readResponse())?.status == 200 {
                return process
            }
            usleep(50_000)
        }
        process.terminate()
        throw NotReady()
    }

    /// A unit with a bound collector token and `meters` keyed meters, written before the server starts.
    static func provision(_ dataDir: String) async throws -> (collector: String, admin: String, meterIDs: [String]) {
        let admin = try CrashSafetyTests.run(["admin", "bootstrap", "--data-dir", dataDir, "--tenant", "crash"])
        let store = try await Store(directory: dataDir)
        let vault = try KeyVault(masterKey: try Hex.decode(masterKey))
        let audit = AuditEntry(type: "test.setup", principal: "test", client: "test")
        let collector = try await TokenSecret.issue(store, tenant: 1, name: "c", user: nil, role: "collector", expiresAt: nil, audit: audit)
        let ids: [String] = try await store.pool.write { conn in
            _ = try conn.execute("""
                INSERT INTO collection_units (public_id, tenant_id, type, name, capacity, created_at, updated_at)
                VALUES (?, 1, 'concentrator', 'c', 10000, 0, 0)
                """, [UUID().uuidString.lowercased()])
            let unit = conn.lastInsertRowID
            _ = try conn.execute("UPDATE tokens SET collection_unit_id = ? WHERE public_id = ?", [unit, collector.token.id.uuidString.lowercased()])
            var ids: [String] = []
            for i in 0..<meters {
                let id = UUID().uuidString.lowercased()
                _ = try conn.execute("""
                    INSERT INTO meters (public_id, tenant_id, manufacturer, serial, medium, lifecycle, created_at, updated_at)
                    VALUES (?, 1, 'KAM', ?, 'water', 'installed', 0, 0)
                    """, [id, String(format: "%08d", 50_000_000 + i)])
                let row = conn.lastInsertRowID
                _ = try conn.execute("INSERT INTO meter_keys (meter_id, sealed, source, updated_at) VALUES (?, ?, 'api', 0)",
                                     [row, try vault.seal(meterKey, meter: row)])
                ids.append(id)
            }
            return ids
        }
        await store.close()
        return (collector.secret, admin, ids)
    }

    @Test func acknowledgedTelegramsSurviveSIGKILL() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: CrashSafetyTests.binary), "build fjern first (swift build)")
        let dataDir = NSTemporaryDirectory() + "fjern-ingest-crash-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let (collector, admin, meterIDs) = try await Self.provision(dataDir)
        // Acknowledged (meter index, hour) pairs.
        let acknowledged = Mutex<Set<Int>>([])
        let sequence = Atomic<Int>(0)
        for _ in 0..<3 {
            let port = CrashSafetyTests.freePort()
            let server = try Self.serve(dataDir: dataDir, port: port)
            let stop = Atomic<Bool>(false)
            let writers = (0..<4).map { _ in
                Background {
                    while !stop.load(ordering: .relaxed) {
                        let batch = (0..<25).map { _ in sequence.wrappingAdd(1, ordering: .relaxed).oldValue }
                        let items = batch.map { n -> String in
                            let meter = n % Self.meters, hour = n / Self.meters
                            let t = try! IngestFixture.multical21(id: UInt32(50_000_000 + meter), key: Self.meterKey, litres: UInt32(n),
                                                                  access: UInt8(truncatingIfNeeded: hour))
                            let time = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: 1_790_000_000 + Double(hour) * 3600))
                            return "{\"hex\":\"\(IngestFixture.hex(t))\",\"receivedAt\":\"\(time)\"}"
                        }
                        let body = "{\"telegrams\":[\(items.joined(separator: ","))]}"
                        guard let client = try? RawClient(port: port, timeoutSeconds: 5),
                              (try? client.send("POST /v1/ingest/telegrams HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(collector)\r\n"
                                                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")) != nil,
                              let response = try? client.readResponse(), response.status == 200,
                              let json = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                              json["decoded"] as? Int == batch.count else { continue }
                        acknowledged.withLock { $0.formUnion(batch) }
                    }
                }
            }
            // Kill mid-traffic once this round has had acknowledgements (counted, not timed: a
            // loaded machine acknowledges slower), at a random moment after.
            let before = acknowledged.withLock { $0.count }
            let started = nowSpec()
            while acknowledged.withLock({ $0.count }) < before + 50 && milliseconds(since: started) < 60_000 { usleep(10_000) }
            usleep(UInt32.random(in: 0...300_000))
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
            stop.store(true, ordering: .relaxed)
            writers.forEach { $0.join() }
            #expect(server.terminationReason == .uncaughtSignal)
        }
        let acked = acknowledged.withLock { $0 }
        #expect(acked.count > 100, "too few telegrams were acknowledged to mean anything")
        let port = CrashSafetyTests.freePort()
        let server = try Self.serve(dataDir: dataDir, port: port)
        defer { server.terminate(); server.waitUntilExit() }
        var stored = Set<Int>()
        for (meter, id) in meterIDs.enumerated() {
            let client = try RawClient(port: port)
            try client.send("GET /v1/meters/\(id)/readings?limit=10000 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(admin)\r\n\r\n")
            let json = try JSONSerialization.jsonObject(with: Data(try client.readResponse().body)) as? [String: Any]
            for item in json?["items"] as? [[String: Any]] ?? [] {
                guard let time = (item["time"] as? String).flatMap({ ISO8601DateFormatter().date(from: String($0.prefix(19)) + "Z") }) else { continue }
                stored.insert(Int((time.timeIntervalSince1970 - 1_790_000_000) / 3600) * Self.meters + meter)
            }
        }
        let lost = acked.subtracting(stored)
        #expect(lost.isEmpty, "\(lost.count) of \(acked.count) acknowledged telegrams lost")
    }
}
