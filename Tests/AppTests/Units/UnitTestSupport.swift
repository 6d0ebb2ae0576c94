import Foundation
import Testing
@testable import App
@testable import Store
import SQLite
import TestSupport

/// Helpers for the collection-unit tests, on top of the access fixture's two tenants.
extension AccessFixture {
    /// Creates a unit through the API as `token`; returns its id.
    func createUnit(_ token: String, type: String = "concentrator", name: String = "North tower",
                    extra: String = "") throws -> String {
        let response = try call("POST", "/v1/collection-units", token: token,
                                body: #"{"type":"\#(type)","name":"\#(name)"\#(extra)}"#)
        guard response.status == 201, let id = response.json["id"] as? String else {
            throw UnitTestFailure("create unit: \(response.status) \(response.text)")
        }
        return id
    }

    /// A meter inserted directly (the meters API is built elsewhere); returns (row id, public id).
    func insertMeter(tenant: Int64, serial: String, manufacturer: String = "KAM") async throws -> (row: Int64, id: String) {
        let id = UUID().uuidString.lowercased()
        let row: Int64 = try await store.pool.write { conn in
            _ = try conn.execute("""
                INSERT INTO meters (public_id, tenant_id, manufacturer, serial, medium, lifecycle, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'heat', 'installed', 0, 0)
                """, [id, tenant, manufacturer, serial])
            return conn.lastInsertRowID
        }
        return (row, id)
    }

    func unitRowID(_ id: String) async throws -> Int64 {
        try await store.pool.read { conn in try conn.scalar("SELECT id FROM collection_units WHERE public_id = ?", [id]) ?? -1 }
    }

    /// Creates a share code for `unit` as `owner` and redeems it as `sharer`.
    func share(_ unit: String, owner: String, with sharer: String) throws {
        let code = try call("POST", "/v1/collection-units/\(unit)/share-codes", token: owner).json["code"] as? String ?? ""
        let redeemed = try call("POST", "/v1/collection-unit-shares", token: sharer, body: #"{"code":"\#(code)"}"#)
        guard redeemed.status == 201 else { throw UnitTestFailure("redeem: \(redeemed.status) \(redeemed.text)") }
    }

    func items(_ response: RawClient.Response) -> [[String: Any]] { response.json["items"] as? [[String: Any]] ?? [] }
}

struct UnitTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What the audit test's collection-unit operations act on: A's units (one to change, one to
/// delete, one shared with B) and a code for a unit of B's that A may redeem.
struct UnitAuditSetup {
    var unit: String
    var doomed: String
    var sharedWithB: String
    var codeFromB: String

    init(_ f: AccessFixture) throws {
        unit = try f.createUnit(f.adminA)
        doomed = try f.createUnit(f.adminA, name: "Doomed")
        sharedWithB = try f.createUnit(f.adminA, name: "Shared")
        try f.share(sharedWithB, owner: f.adminA, with: f.adminB)
        let unitB = try f.createUnit(f.adminB, name: "B's mast")
        codeFromB = try f.call("POST", "/v1/collection-units/\(unitB)/share-codes", token: f.adminB).json["code"] as? String ?? ""
    }
}
