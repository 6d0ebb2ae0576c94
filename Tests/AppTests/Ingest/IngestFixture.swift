import Crypto
import Dispatch
import Foundation
import Glibc
@testable import App
import HTTPServer
import MBus
import Outbound
@testable import Store
import SQLite
import TestSupport

/// A running server with two tenants, units and meters written straight into the database
/// (the meter and unit APIs have their own tests), and telegrams built with the MBus encoders.
final class IngestFixture: @unchecked Sendable {
    let app: Application
    let store: Store
    let directory: String
    let vault: KeyVault
    var tenantA: TenantRecord!
    var tenantB: TenantRecord!
    var adminA = ""
    var adminB = ""
    /// Row id and collector token per unit name.
    var units: [String: (row: Int64, token: String)] = [:]

    static let masterKey = String(repeating: "5a", count: 32)
    static let setup = AuditEntry(type: "test.setup", principal: "test", client: "test")
    static let kamstrup: UInt16 = 0x2C2D

    static func start(transport: (any MessageTransport)? = nil, outboxClock: (any OutboxClock)? = nil) async throws -> IngestFixture {
        var template = Array("/tmp/fjern-ingest-XXXXXX".utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        let app = try await launch(directory, transport: transport, outboxClock: outboxClock)
        let fixture = IngestFixture(app: app, store: app.store!, directory: directory,
                                    vault: try KeyVault(masterKey: try Hex.decode(masterKey)))
        try await fixture.populate()
        return fixture
    }

    private static func launch(_ directory: String, transport: (any MessageTransport)?,
                               outboxClock: (any OutboxClock)?) async throws -> Application {
        var options = ServeOptions()
        options.port = 0
        options.dataDirectory = directory
        options.logRequests = false
        options.masterKey = masterKey
        let throttle = AuthThrottle(slowAfter: options.authSlowAfter, blockAfter: max(options.authBlockAfter, options.authSlowAfter))
        let app = Application(options: options, log: DiscardLog(), throttle: throttle, transport: transport,
                              outboxClock: outboxClock ?? SystemOutboxClock())
        try await app.start()
        return app
    }

    /// This server stopped and its database served by a new one, as after a restart; the
    /// tenants, tokens and units stay.
    func restarted(transport: (any MessageTransport)? = nil, outboxClock: (any OutboxClock)? = nil) async throws -> IngestFixture {
        await app.stop()
        let app = try await Self.launch(directory, transport: transport, outboxClock: outboxClock)
        let next = IngestFixture(app: app, store: app.store!, directory: directory, vault: vault)
        (next.tenantA, next.tenantB, next.adminA, next.adminB, next.units) = (tenantA, tenantB, adminA, adminB, units)
        return next
    }

    private init(app: Application, store: Store, directory: String, vault: KeyVault) {
        self.app = app
        self.store = store
        self.directory = directory
        self.vault = vault
    }

    func stop() async {
        await app.stop()
        _ = try? FileManager.default.removeItem(atPath: directory)
    }

    private func populate() async throws {
        tenantA = try await store.createTenant(name: "A", timeZone: "Europe/Copenhagen", audit: Self.setup)
        tenantB = try await store.createTenant(name: "B", timeZone: "UTC", audit: Self.setup)
        adminA = try await TokenSecret.issue(store, tenant: tenantA.rowID, name: "a", user: nil, role: "collector",
                                             expiresAt: nil, audit: Self.setup).secret
        let a = try await store.createUser(tenant: tenantA.rowID, name: "Alice", email: "alice@a.example", role: "administrator", audit: Self.setup)
        adminA = try await TokenSecret.issue(store, tenant: tenantA.rowID, name: "alice", user: a.id, role: nil, expiresAt: nil, audit: Self.setup).secret
        let b = try await store.createUser(tenant: tenantB.rowID, name: "Bob", email: "bob@b.example", role: "administrator", audit: Self.setup)
        adminB = try await TokenSecret.issue(store, tenant: tenantB.rowID, name: "bob", user: b.id, role: nil, expiresAt: nil, audit: Self.setup).secret
        try await addUnit("north", tenant: tenantA.rowID)
        try await addUnit("south", tenant: tenantA.rowID)
        try await addUnit("b-own", tenant: tenantB.rowID)
    }

    func addUnit(_ name: String, tenant: Int64, type: String = "concentrator") async throws {
        let row: Int64 = try await store.pool.write { conn in
            _ = try conn.execute("""
                INSERT INTO collection_units (public_id, tenant_id, type, name, capacity, created_at, updated_at)
                VALUES (?, ?, ?, ?, 10000, 0, 0)
                """, [UUID().uuidString.lowercased(), tenant, type, name])
            return conn.lastInsertRowID
        }
        let role = type == "field-device" ? "field-device" : "collector"
        let issued = try await TokenSecret.issue(store, tenant: tenant, name: name, user: nil, role: role, expiresAt: nil, audit: Self.setup)
        try await store.pool.write { conn in
            _ = try conn.execute("UPDATE tokens SET collection_unit_id = ? WHERE public_id = ?", [row, issued.token.id.uuidString.lowercased()])
        }
        units[name] = (row, issued.secret)
    }

    func share(_ unit: String, with tenant: Int64) async throws {
        try await store.pool.write { conn in
            _ = try conn.execute("INSERT INTO unit_shares (unit_id, tenant_id, created_at) VALUES (?, ?, 0)", [units[unit]!.row, tenant])
        }
    }

    /// A meter written directly; `key` sealed as the meter API would. Returns its public id.
    @discardableResult
    func addMeter(tenant: Int64, manufacturer: String = "KAM", serial: String, key: [UInt8]?, notify: Bool = true) async throws -> UUID {
        let id = UUID()
        let vault = vault
        try await store.pool.write { conn in
            _ = try conn.execute("""
                INSERT INTO meters (public_id, tenant_id, manufacturer, serial, medium, lifecycle, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'water', 'installed', 0, 0)
                """, [id.uuidString.lowercased(), tenant, manufacturer, serial])
            let row = conn.lastInsertRowID
            if let key {
                _ = try conn.execute("INSERT INTO meter_keys (meter_id, sealed, source, updated_at) VALUES (?, ?, 'api', 0)",
                                     [row, try vault.seal(key, meter: row)])
            }
        }
        if notify { app.ingest?.metersChanged(tenant: tenant) }
        return id
    }

    func setKey(meter: UUID, key: [UInt8], tenant: Int64) async throws {
        let vault = vault
        try await store.pool.write { conn in
            let row: Int64 = try conn.scalar("SELECT id FROM meters WHERE public_id = ?", [meter.uuidString.lowercased()])!
            _ = try conn.execute("INSERT OR REPLACE INTO meter_keys (meter_id, sealed, source, updated_at) VALUES (?, ?, 'api', 0)",
                                 [row, try vault.seal(key, meter: row)])
        }
        app.ingest?.metersChanged(tenant: tenant)
    }

    // MARK: telegrams

    /// A MULTICAL 21 full frame (CI 0x78) under ELL AES-CTR, as a Kamstrup C1 meter sends it.
    static func multical21(id: UInt32, key: [UInt8], litres: UInt32, info: UInt16 = 0, access: UInt8 = 1) throws -> [UInt8] {
        // Volume first: not one of the pre-declared Kamstrup formats, so compact frames of it
        // need this full frame first.
        var records: [UInt8] = [0x04, 0x13] + (0..<4).map { UInt8(truncatingIfNeeded: litres >> (8 * UInt32($0))) }
        records += [0x02, 0xFF, 0x20, UInt8(info & 0xFF), UInt8(info >> 8)]
        records += [0x44, 0x13] + (0..<4).map { UInt8(truncatingIfNeeded: (litres / 2) >> (8 * UInt32($0))) }
        return try WirelessEncoder.ellCTR(address: MeterAddress(manufacturer: kamstrup, id: bcd(id), version: 0x1B, deviceType: 0x16),
                                          accessNumber: access, sessionNumber: 0, key: key, applicationCI: 0x78, application: records)
    }

    /// The compact form (CI 0x79) of `multical21`'s full frame: format signature, full-frame
    /// CRC, then the data bytes alone.
    static func multical21Compact(id: UInt32, key: [UInt8], litres: UInt32, info: UInt16 = 0, access: UInt8 = 1) throws -> [UInt8] {
        let difvif: [UInt8] = [0x04, 0x13, 0x02, 0xFF, 0x20, 0x44, 0x13]
        let data: [UInt8] = (0..<4).map { UInt8(truncatingIfNeeded: litres >> (8 * UInt32($0))) } + [UInt8(info & 0xFF), UInt8(info >> 8)]
            + (0..<4).map { UInt8(truncatingIfNeeded: (litres / 2) >> (8 * UInt32($0))) }
        let full: [UInt8] = [0x04, 0x13] + data[0..<4] + [0x02, 0xFF, 0x20] + data[4..<6] + [0x44, 0x13] + data[6..<10]
        let signature = CRC16.checksum(difvif), fullCRC = CRC16.checksum(full)
        let application = [UInt8(signature & 0xFF), UInt8(signature >> 8), UInt8(fullCRC & 0xFF), UInt8(fullCRC >> 8)] + data
        return try WirelessEncoder.ellCTR(address: MeterAddress(manufacturer: kamstrup, id: bcd(id), version: 0x1B, deviceType: 0x16),
                                          accessNumber: access, sessionNumber: 0, key: key, applicationCI: 0x79, application: application)
    }

    static func bcd(_ value: UInt32) -> UInt32 {
        var out: UInt32 = 0
        var rest = value
        for shift in stride(from: 0, to: 32, by: 4) {
            out |= (rest % 10) << UInt32(shift)
            rest /= 10
        }
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes, uppercase: true) }

    // MARK: HTTP

    /// Blocking socket work runs on a Dispatch thread: blocking Swift's cooperative pool (two
    /// threads here) would starve the server under test when suites run in parallel.
    func call(_ method: String, _ path: String, token: String?, body: String? = nil) async throws -> RawClient.Response {
        let port = app.port
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try RawClient.exchange(port: port, method, path, token: token, body: body.map { Array($0.utf8) }) })
            }
        }
    }

    func post(_ unit: String, _ telegrams: [[UInt8]], receivedAt: String = "2026-11-21T10:00:00Z", rssi: Int = -70) async throws -> [String: Any] {
        let items = telegrams.map { "{\"hex\":\"\(Self.hex($0))\",\"receivedAt\":\"\(receivedAt)\",\"rssi\":\(rssi)}" }
        let response = try await call("POST", "/v1/ingest/telegrams", token: units[unit]!.token,
                                body: "{\"telegrams\":[\(items.joined(separator: ","))]}")
        guard response.status == 200 else { throw Failure("ingest answered \(response.status): \(String(decoding: response.body, as: UTF8.self))") }
        return response.json
    }

    func readings(_ meter: UUID, token: String) async throws -> [[String: Any]] {
        try await call("GET", "/v1/meters/\(meter.uuidString.lowercased())/readings", token: token).json["items"] as? [[String: Any]] ?? []
    }

    /// Waits for background work (pending retries) to show: a cap, not a timing figure, so
    /// generous for a loaded 2-core machine running the whole suite at once.
    func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}
