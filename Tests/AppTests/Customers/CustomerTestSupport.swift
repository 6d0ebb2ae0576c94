import Foundation
@testable import App
@testable import Store
import TestSupport
import SQLite

extension AccessFixture {
    /// Creates a customer through the API as tenant A's administrator; returns its JSON.
    @discardableResult
    func createCustomer(_ body: String, token: String? = nil) throws -> [String: Any] {
        let response = try call("POST", "/v1/customers", token: token ?? adminA, body: body)
        guard response.status == 201 else { throw CustomerTestFailure(description: "create: \(response.status) \(response.text)") }
        return response.json
    }

    func customerCSV(_ text: String, query: String = "", token: String? = nil, bom: Bool = false,
                     headers: [(String, String)] = []) throws -> RawClient.Response {
        try send("POST", "/v1/customers/import" + query, token: token ?? adminA,
                 body: (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8), contentType: "text/csv", headers: headers)
    }

    func customers(_ query: String = "", token: String? = nil) throws -> [[String: Any]] {
        try call("GET", "/v1/customers?limit=500" + query, token: token ?? adminA).jsonArray
    }

    /// Points a metering point at a customer directly (the metering-point API is another area's).
    func assign(point: String, customer: String) async throws {
        try await store.pool.write { conn in
            _ = try conn.execute("UPDATE metering_points SET customer_id = (SELECT id FROM customers WHERE public_id = ?) WHERE public_id = ?",
                                 [customer, point])
        }
    }

    func pointCustomer(_ point: String) async throws -> Int64? {
        try await store.pool.read { conn in try conn.scalar("SELECT customer_id FROM metering_points WHERE public_id = ?", [point]) }
    }
}

struct CustomerTestFailure: Error, CustomStringConvertible { var description: String }
