import Foundation
@testable import App
@testable import Store
import TestSupport
import SQLite

/// Helpers for the group, priority and map tests, on top of the access fixture's two tenants.
extension AccessFixture {
    /// Creates a group through the API (tenant A's administrator unless `token`); returns its id.
    func createGroup(_ name: String, token: String? = nil) throws -> String {
        let response = try call("POST", "/v1/groups", token: token ?? adminA, body: #"{"name":"\#(name)"}"#)
        guard response.status == 201, let id = response.json["id"] as? String else {
            throw MeterTestFailure(description: "create group: \(response.status) \(response.text)")
        }
        return id
    }

    /// `POST /v1/groups/{id}/members` (or `/members/remove`) with these meter ids.
    func members(_ group: String, _ meters: [String], remove: Bool = false, token: String? = nil) throws -> RawClient.Response {
        let ids = meters.map { "\"\($0)\"" }.joined(separator: ",")
        return try call("POST", "/v1/groups/\(group)/members" + (remove ? "/remove" : ""), token: token ?? adminA,
                        body: #"{"meterIds":[\#(ids)]}"#)
    }

    /// The ids of every meter `GET /v1/meters?<query>` lists, following cursors.
    func meterIds(_ query: String, token: String? = nil, limit: Int = 500) throws -> [String] {
        var ids: [String] = []
        var cursor: String?
        repeat {
            let page = try call("GET", "/v1/meters?\(query)&limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? ""),
                                token: token ?? adminA)
            guard page.status == 200 else { throw MeterTestFailure(description: "list: \(page.status) \(page.text)") }
            ids += page.jsonArray.compactMap { $0["id"] as? String }
            cursor = page.json["nextCursor"] as? String
        } while cursor != nil
        return ids
    }

    /// Creates `count` meters (serials from `first`) through the API; returns their ids in order.
    func createMeters(_ count: Int, first: Int = 1, token: String? = nil, extra: String = "") throws -> [String] {
        try (first..<(first + count)).map { serial in
            try createMeter(#"{"manufacturer":"KAM","serial":"\#(serial)","medium":"heat"\#(extra)}"#, token: token)["id"] as? String ?? ""
        }
    }

    /// The groups list's entry with this id.
    func groupEntry(_ id: String, token: String? = nil) throws -> [String: Any]? {
        try call("GET", "/v1/groups?limit=500", token: token ?? adminA).jsonArray.first { $0["id"] as? String == id }
    }
}
