import Dispatch
import Foundation
@testable import App
@testable import Store
import HTTPServer
import SQLite
import TestSupport

/// Helpers for the consumption alert and webhook tests, on top of the ingest fixture.
extension IngestFixture {
    /// A request with extra headers (If-Match), on a Dispatch thread like `call`.
    func call(_ method: String, _ path: String, token: String?, body: String? = nil,
              headers: [(String, String)]) async throws -> RawClient.Response {
        let port = app.port
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    try RawClient.exchange(port: port, method, path, token: token, body: body.map { Array($0.utf8) }, headers: headers)
                })
            }
        }
    }

    /// A token of a person with the `user` role (views and exports only) in tenant A.
    func userTokenA() async throws -> String {
        let user = try await store.createUser(tenant: tenantA.rowID, name: "Uma", email: "uma@a.example", role: "user", audit: Self.setup)
        return try await TokenSecret.issue(store, tenant: tenantA.rowID, name: "uma", user: user.id, role: nil, expiresAt: nil,
                                           audit: Self.setup).secret
    }

    /// The tenant's events of one type, oldest first.
    func events(_ type: String, token: String) async throws -> [[String: Any]] {
        let page = try await call("GET", "/v1/events?limit=500&types=\(type)", token: token)
        guard page.status == 200 else { throw Failure("feed answered \(page.status): \(page.text)") }
        return page.json["items"] as? [[String: Any]] ?? []
    }

    /// Inserts `count` live meters of the tenant in one transaction (serials from `first`).
    func addMeters(_ count: Int, tenant: Int64, first: Int) async throws {
        try await store.pool.write { conn in
            for serial in first..<(first + count) {
                _ = try conn.execute("""
                    INSERT INTO meters (public_id, tenant_id, manufacturer, serial, medium, lifecycle, created_at, updated_at)
                    VALUES (?, ?, 'KAM', ?, 'water', 'installed', 0, 0)
                    """, [UUID().uuidString.lowercased(), tenant, String(serial)])
            }
        }
    }
}
