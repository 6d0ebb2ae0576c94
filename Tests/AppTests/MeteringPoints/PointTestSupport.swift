import Foundation
@testable import App
@testable import Store
import TestSupport
import SQLite

extension AccessFixture {
    /// Creates a metering point through the API as tenant A's administrator (or `token`); returns its JSON.
    @discardableResult
    func createPoint(_ body: String = "{}", token: String? = nil) throws -> [String: Any] {
        let response = try call("POST", "/v1/metering-points", token: token ?? adminA, body: body)
        guard response.status == 201 else { throw MeterTestFailure(description: "create point: \(response.status) \(response.text)") }
        return response.json
    }

    /// A customer row written directly (the customers API is another helper's): its public id.
    func insertCustomer(_ tenant: Int64, number: String, name: String?) async throws -> String {
        let id = UUID().uuidString.lowercased()
        try await store.pool.write { conn in
            try conn.execute("""
                INSERT INTO customers (public_id, tenant_id, customer_number, name, created_at, updated_at)
                VALUES (?, ?, ?, ?, 0, 0)
                """, [id, tenant, number, name])
        }
        return id
    }

    func installations(_ pointID: String) throws -> [[String: Any]] {
        (try call("GET", "/v1/metering-points/\(pointID)", token: adminA).json["installations"] as? [[String: Any]]) ?? []
    }

    func sql<T: ColumnValue & Sendable>(_ query: String) async throws -> T? {
        try await store.pool.read { conn in try conn.scalar(query) }
    }
}

func rfc3339(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    return formatter.string(from: date)
}

/// A time the server wrote (it adds milliseconds), as whole seconds since 1970.
func unixSeconds(_ value: Any?) -> Int64? {
    guard let text = value as? String else { return nil }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    guard let date = formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text) else { return nil }
    return Int64(date.timeIntervalSince1970.rounded(.down))
}
