import Dispatch
import Foundation
@testable import App
import MBus
@testable import Store
import TestSupport

/// Helpers for the info-code tests on top of the ingest fixture: times relative to now (the
/// historical window ends today), list paging and CSV parsing.
extension IngestFixture {
    /// RFC 3339 of now minus `hours`, whole seconds.
    static func ago(hours: Double) -> (text: String, seconds: Int64) {
        let seconds = Int64(Date().timeIntervalSince1970 - hours * 3600)
        let date = Date(timeIntervalSince1970: Double(seconds))
        return (date.formatted(.iso8601), seconds)
    }

    /// Every row `GET <path>` lists, following cursors with `limit`.
    func infoCodes(_ query: String = "", path: String = "/v1/info-codes", token: String? = nil,
                   limit: Int = 500) async throws -> [[String: Any]] {
        var rows: [[String: Any]] = []
        var cursor: String?
        repeat {
            var url = "\(path)?limit=\(limit)" + query
            if let cursor { url += "&cursor=\(cursor)" }
            let page = try await call("GET", url, token: token ?? adminA)
            guard page.status == 200 else { throw Failure("\(url) answered \(page.status): \(page.text)") }
            rows += page.json["items"] as? [[String: Any]] ?? []
            cursor = page.json["nextCursor"] as? String
        } while cursor != nil
        return rows
    }

    /// `call` with extra request headers.
    func callWith(_ method: String, _ path: String, token: String?, body: String? = nil,
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

    /// A user of tenant A with the `user` role, and its token.
    func userToken() async throws -> String {
        let user = try await store.createUser(tenant: tenantA.rowID, name: "Uma", email: "uma@a.example", role: "user", audit: Self.setup)
        return try await TokenSecret.issue(store, tenant: tenantA.rowID, name: "uma", user: user.id, role: nil, expiresAt: nil,
                                           audit: Self.setup).secret
    }
}

/// RFC 4180 records of a CSV body (quoted fields, doubled quotes, CRLF), for checking exports.
func csvRecords(_ text: String, separator: Character = ",") -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
            } else {
                field.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == separator {
            record.append(field); field = ""
        } else if c == "\r\n" || c == "\n" {
            record.append(field); field = ""
            records.append(record); record = []
        } else {
            field.append(c)
        }
    }
    if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
    return records
}
