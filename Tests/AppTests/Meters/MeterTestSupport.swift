import Foundation
@testable import App
@testable import Store
import TestSupport
import HTTPServer
import SQLite

extension AccessFixture {
    /// One request with a body of any media type, on a fresh connection.
    func send(_ method: String, _ path: String, token: String?, body: [UInt8], contentType: String,
              headers: [(String, String)] = []) throws -> RawClient.Response {
        try RawClient.exchange(port: app.port, method, path, token: token, body: body, contentType: contentType, headers: headers,
                               timeoutSeconds: 120)
    }

    func csv(_ text: String, query: String = "", token: String? = nil, bom: Bool = false) throws -> RawClient.Response {
        try send("POST", "/v1/meters/import/csv" + query, token: token ?? adminA,
                 body: (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8), contentType: "text/csv")
    }

    /// Creates a meter through the API as tenant A's administrator; returns its JSON.
    @discardableResult
    func createMeter(_ body: String, token: String? = nil) throws -> [String: Any] {
        let response = try call("POST", "/v1/meters", token: token ?? adminA, body: body)
        guard response.status == 201 else { throw MeterTestFailure(description: "create: \(response.status) \(response.text)") }
        return response.json
    }

    /// A field-device token of `tenant`, with or without key access: (secret, token id).
    func fieldDevice(_ tenant: Int64, keyAccess: Bool) async throws -> (String, UUID) {
        let (secret, token) = try await TokenSecret.issue(store, tenant: tenant, name: "drive-by", user: nil, role: "field-device",
                                                          expiresAt: nil, audit: Self.setup)
        if keyAccess {
            _ = try await store.updateToken(tenant: tenant, id: token.id, name: nil, keyAccess: true, audit: Self.setup)
        }
        return (secret, token.id)
    }
}

extension RawClient.Response {
    var jsonArray: [[String: Any]] { (json["items"] as? [[String: Any]]) ?? [] }
    var pointers: [String] { ((json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["pointer"] as? String } }
}

struct MeterTestFailure: Error, CustomStringConvertible { var description: String }
