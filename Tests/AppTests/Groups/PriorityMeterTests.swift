import Foundation
import Testing
@testable import App
@testable import Store
import TestSupport
import HTTPServer
import SQLite

@Suite("Groups: priority meters", .serialized, .blockingIO)
struct PriorityMeterTests {
    @Test func setListUnsetAndTheMeterSaysSo() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let meters = try f.createMeters(3)
        #expect(try f.call("GET", "/v1/meters/\(meters[1])", token: f.adminA).json["priority"] as? Bool == false)
        #expect(try f.call("PUT", "/v1/priority-meters/\(meters[2])", token: f.adminA).status == 204)
        #expect(try f.call("PUT", "/v1/priority-meters/\(meters[1])", token: f.adminA).status == 204)
        // Idempotent: once more changes nothing and writes no audit event.
        let etag = try f.call("GET", "/v1/meters/\(meters[1])", token: f.adminA).headers["ETag"]
        #expect(try f.call("PUT", "/v1/priority-meters/\(meters[1])", token: f.adminA).status == 204)
        let got = try f.call("GET", "/v1/meters/\(meters[1])", token: f.adminA)
        #expect(got.json["priority"] as? Bool == true && got.headers["ETag"] == etag && etag == "\"2\"")
        #expect(try await f.auditCount("type = 'meter.priority-set'") == 2)

        let list = try f.call("GET", "/v1/priority-meters", token: f.tokens["user"])
        #expect(list.status == 200 && list.jsonArray.compactMap { $0["id"] as? String } == [meters[1], meters[2]])
        #expect(list.jsonArray.allSatisfy { $0["priority"] as? Bool == true })
        let paged = try f.call("GET", "/v1/priority-meters?limit=1", token: f.adminA)
        let cursor = try #require(paged.json["nextCursor"] as? String)
        #expect(try f.call("GET", "/v1/priority-meters?limit=1&cursor=\(cursor)", token: f.adminA).jsonArray
            .compactMap { $0["id"] as? String } == [meters[2]])
        #expect(try f.meterIds("group=priority") == [meters[1], meters[2]])

        #expect(try f.call("DELETE", "/v1/priority-meters/\(meters[1])", token: f.adminA).status == 204)
        #expect(try f.call("DELETE", "/v1/priority-meters/\(meters[1])", token: f.adminA).status == 204)
        #expect(try await f.auditCount("type = 'meter.priority-unset' AND target = '/v1/meters/\(meters[1])'") == 1)
        #expect(try f.call("GET", "/v1/meters/\(meters[1])", token: f.adminA).json["priority"] as? Bool == false)
        #expect(try f.call("GET", "/v1/priority-meters", token: f.adminA).jsonArray.compactMap { $0["id"] as? String } == [meters[2]])
        #expect(try f.call("GET", "/v1/meters?limit=500", token: f.adminA).jsonArray.compactMap { $0["priority"] as? Bool }
            == [false, false, true])
    }

    @Test func fiftyAtMostAndOnlyOwnMeters() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let meters = try f.createMeters(Store.maxPriorityMeters + 1)
        for meter in meters.prefix(Store.maxPriorityMeters) {
            #expect(try f.call("PUT", "/v1/priority-meters/\(meter)", token: f.adminA).status == 204)
        }
        let refused = try f.call("PUT", "/v1/priority-meters/\(meters[50])", token: f.adminA)
        #expect(refused.status == 409 && refused.headers["Content-Type"] == "application/problem+json")
        #expect(refused.text.contains("50 priority meters"))
        // One already among them is still fine.
        #expect(try f.call("PUT", "/v1/priority-meters/\(meters[0])", token: f.adminA).status == 204)
        #expect(try f.call("GET", "/v1/groups/priority", token: f.adminA).json["meterCount"] as? Int == 50)
        // A deleted priority meter frees its place.
        let etag = try f.call("GET", "/v1/meters/\(meters[0])", token: f.adminA).headers["ETag"] ?? ""
        #expect(try f.call("DELETE", "/v1/meters/\(meters[0])", token: f.adminA, headers: [("If-Match", etag)]).status == 204)
        #expect(try f.call("PUT", "/v1/priority-meters/\(meters[50])", token: f.adminA).status == 204)
        // Another tenant's limit is its own, and A's meters do not exist for B.
        let meterB = try f.createMeters(1, token: f.adminB)[0]
        #expect(try f.call("PUT", "/v1/priority-meters/\(meterB)", token: f.adminB).status == 204)
        #expect(try f.call("PUT", "/v1/priority-meters/\(meterB)", token: f.adminA).status == 404)
        #expect(try f.call("DELETE", "/v1/priority-meters/\(meterB)", token: f.adminA).status == 404)
        #expect(try f.call("DELETE", "/v1/priority-meters/\(meters[1])", token: f.adminB).status == 404)
        #expect(try f.call("GET", "/v1/priority-meters", token: f.adminB).jsonArray.compactMap { $0["id"] as? String } == [meterB])
        #expect(try f.call("PUT", "/v1/priority-meters/\(UUID().uuidString)", token: f.adminA).status == 404)
        #expect(try f.call("PUT", "/v1/priority-meters/nope", token: f.adminA).status == 400)
    }
}
