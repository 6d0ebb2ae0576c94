import Foundation
import Testing
@testable import App
@testable import Store
import TestSupport
import HTTPServer
import SQLite

@Suite("Groups: CRUD, virtual groups, isolation", .serialized, .blockingIO)
struct GroupCRUDTests {
    @Test func createGetRenameDelete() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let created = try f.call("POST", "/v1/groups", token: f.adminA, body: #"{"name":"  West area "}"#,
                                 headers: [("Idempotency-Key", "g1")])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.json["id"] as? String)
        #expect(UUID(uuidString: id) != nil && id == id.lowercased())
        #expect(created.headers["Location"] == "/v1/groups/\(id)" && created.headers["ETag"] == "\"1\"")
        #expect(created.json["name"] as? String == "West area" && created.json["virtual"] as? Bool == false)
        #expect(created.json["meterCount"] as? Int == 0 && created.json["createdAt"] is String)
        // A retry with the same key is replayed, not a 409.
        let replay = try f.call("POST", "/v1/groups", token: f.adminA, body: #"{"name":"  West area "}"#,
                                headers: [("Idempotency-Key", "g1")])
        #expect(replay.status == 201 && replay.json["id"] as? String == id)

        let got = try f.call("GET", "/v1/groups/\(id)", token: f.tokens["user"])
        #expect(got.status == 200 && got.headers["ETag"] == "\"1\"" && got.json["name"] as? String == "West area")

        let stale = try f.call("PATCH", "/v1/groups/\(id)", token: f.adminA, body: #"{"name":"x"}"#, headers: [("If-Match", "\"7\"")])
        #expect(stale.status == 412 && stale.headers["ETag"] == "\"1\"")
        let renamed = try f.call("PATCH", "/v1/groups/\(id)", token: f.adminA, body: #"{"name":"West"}"#,
                                 headers: [("If-Match", "\"1\"")])
        #expect(renamed.status == 200 && renamed.headers["ETag"] == "\"2\"" && renamed.json["name"] as? String == "West")
        // Changing only the case of its own name is not a collision.
        #expect(try f.call("PATCH", "/v1/groups/\(id)", token: f.adminA, body: #"{"name":"WEST"}"#).status == 200)

        #expect(try f.call("DELETE", "/v1/groups/\(id)", token: f.adminA, headers: [("If-Match", "\"1\"")]).status == 412)
        #expect(try f.call("DELETE", "/v1/groups/\(id)", token: f.adminA, headers: [("If-Match", "\"3\"")]).status == 204)
        #expect(try f.call("GET", "/v1/groups/\(id)", token: f.adminA).status == 404)
        #expect(try f.call("DELETE", "/v1/groups/\(id)", token: f.adminA).status == 404)
        #expect(try await f.auditCount("type = 'group.created' AND target = '/v1/groups/\(id)'") == 1)
        #expect(try await f.auditCount("type = 'group.renamed' AND target = '/v1/groups/\(id)'") == 2)
        #expect(try await f.auditCount("type = 'group.deleted' AND target = '/v1/groups/\(id)'") == 1)
    }

    @Test func namesAreUniqueIgnoringCaseAndNotBlank() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        _ = try f.createGroup("North area")
        let other = try f.createGroup("South area")
        let duplicate = try f.call("POST", "/v1/groups", token: f.adminA, body: #"{"name":"north AREA"}"#)
        #expect(duplicate.status == 409 && duplicate.headers["Content-Type"] == "application/problem+json")
        #expect(duplicate.text.contains("north AREA"))
        #expect(try f.call("PATCH", "/v1/groups/\(other)", token: f.adminA, body: #"{"name":"NORTH area"}"#).status == 409)
        // Another tenant may use the same name.
        #expect(try f.call("POST", "/v1/groups", token: f.adminB, body: #"{"name":"North area"}"#).status == 201)
        let blank = try f.call("POST", "/v1/groups", token: f.adminA, body: #"{"name":"   "}"#)
        #expect(blank.status == 422 && blank.pointers == ["/name"])
        #expect(try f.call("PATCH", "/v1/groups/\(other)", token: f.adminA, body: #"{"name":" "}"#).status == 422)
        let long = try f.call("POST", "/v1/groups", token: f.adminA, body: #"{"name":"\#(String(repeating: "x", count: 101))"}"#)
        #expect(long.status == 400 && long.pointers == ["/name"])
        #expect(try f.call("POST", "/v1/groups", token: f.adminA, body: #"{}"#).status == 400)
        #expect(try f.call("GET", "/v1/groups/not-a-group", token: f.adminA).status == 400)
        #expect(try f.call("GET", "/v1/groups/\(UUID().uuidString)", token: f.adminA).status == 404)
    }

    @Test func virtualGroupsAreListedFirstCountedAndReadOnly() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let meters = try f.createMeters(3)
        let group = try f.createGroup("Observation list A")
        #expect(try f.members(group, [meters[0]]).status == 200)
        #expect(try f.call("PUT", "/v1/priority-meters/\(meters[1])", token: f.adminA).status == 204)
        // B's meters count for B only.
        _ = try f.createMeters(2, token: f.adminB)

        let list = try f.call("GET", "/v1/groups", token: f.tokens["user"])
        #expect(list.status == 200)
        let items = list.jsonArray
        #expect(items.compactMap { $0["id"] as? String } == ["all", "non-grouped", "last-imported", "priority", group])
        #expect(items.prefix(4).allSatisfy { $0["virtual"] as? Bool == true && $0["createdAt"] == nil })
        #expect(items.compactMap { $0["meterCount"] as? Int } == [3, 2, 0, 1, 1])
        #expect(items[0]["name"] as? String == "All meters")

        for name in ["all", "non-grouped", "last-imported", "priority"] {
            let got = try f.call("GET", "/v1/groups/\(name)", token: f.adminA)
            #expect(got.status == 200 && got.json["id"] as? String == name && got.headers["ETag"] == nil)
            #expect(got.json["meterCount"] as? Int == items.first { $0["id"] as? String == name }?["meterCount"] as? Int)
            for (method, path, body) in [("PATCH", "/v1/groups/\(name)", #"{"name":"x"}"#), ("DELETE", "/v1/groups/\(name)", nil),
                                         ("POST", "/v1/groups/\(name)/members", #"{"meterIds":["\#(meters[2])"]}"#),
                                         ("POST", "/v1/groups/\(name)/members/remove", #"{"meterIds":["\#(meters[2])"]}"#)] {
                let refused = try f.call(method, path, token: f.adminA, body: body)
                #expect(refused.status == 409, "\(method) \(path): \(refused.status)")
                #expect(refused.text.contains("virtual group"))
            }
        }
        // A deleted meter leaves every count.
        let etag = try f.call("GET", "/v1/meters/\(meters[0])", token: f.adminA).headers["ETag"] ?? ""
        #expect(try f.call("DELETE", "/v1/meters/\(meters[0])", token: f.adminA, headers: [("If-Match", etag)]).status == 204)
        let after = try f.call("GET", "/v1/groups", token: f.adminA).jsonArray.compactMap { $0["meterCount"] as? Int }
        #expect(after == [2, 2, 0, 1, 0])
        // It left its group (a trigger), so the membership holds live meters only.
        let members: Int = try await f.store.pool.read { try $0.scalar("SELECT count(*) FROM group_members") ?? -1 }
        #expect(members == 0)
    }

    @Test func listPagesTheTenantsGroups() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let ids = try (1...5).map { try f.createGroup("Group \($0)") }
        _ = try f.createGroup("B's", token: f.adminB)
        let first = try f.call("GET", "/v1/groups?limit=2", token: f.adminA)
        #expect(first.jsonArray.compactMap { $0["id"] as? String } == ["all", "non-grouped", "last-imported", "priority"] + ids.prefix(2))
        var cursor = try #require(first.json["nextCursor"] as? String)
        let second = try f.call("GET", "/v1/groups?limit=2&cursor=\(cursor)", token: f.adminA)
        #expect(second.jsonArray.compactMap { $0["id"] as? String } == Array(ids[2...3]))
        cursor = try #require(second.json["nextCursor"] as? String)
        let last = try f.call("GET", "/v1/groups?limit=2&cursor=\(cursor)", token: f.adminA)
        #expect(last.jsonArray.compactMap { $0["id"] as? String } == [ids[4]] && last.json["nextCursor"] == nil)
        #expect(try f.call("GET", "/v1/groups?cursor=zz", token: f.adminA).status == 400)
    }

    @Test func anotherTenantsGroupIsNotFound() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let groupB = try f.createGroup("B's", token: f.adminB)
        let meterA = try f.createMeters(1)[0]
        #expect(try f.call("GET", "/v1/groups/\(groupB)", token: f.adminA).status == 404)
        #expect(try f.call("PATCH", "/v1/groups/\(groupB)", token: f.adminA, body: #"{"name":"mine"}"#).status == 404)
        #expect(try f.call("DELETE", "/v1/groups/\(groupB)", token: f.adminA).status == 404)
        #expect(try f.members(groupB, [meterA]).status == 404)
        #expect(try f.members(groupB, [meterA], remove: true).status == 404)
        #expect(try f.call("GET", "/v1/meters?group=\(groupB)", token: f.adminA).status == 404)
        #expect(try f.call("GET", "/v1/map?group=\(groupB)", token: f.adminA).status == 404)
        #expect(try f.groupEntry(groupB) == nil)
        let b = try f.call("GET", "/v1/groups/\(groupB)", token: f.adminB)
        #expect(b.status == 200 && b.json["name"] as? String == "B's" && b.json["meterCount"] as? Int == 0)
    }

    @Test func permissions() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let group = try f.createGroup("G")
        let meter = try f.createMeters(1)[0]
        let user = f.tokens["user"]
        #expect(try f.call("GET", "/v1/groups", token: user).status == 200)
        #expect(try f.call("GET", "/v1/map", token: user).status == 200)
        #expect(try f.call("GET", "/v1/priority-meters", token: user).status == 200)
        #expect(try f.call("POST", "/v1/groups", token: user, body: #"{"name":"mine"}"#).status == 403)
        #expect(try f.call("PATCH", "/v1/groups/\(group)", token: user, body: #"{"name":"mine"}"#).status == 403)
        #expect(try f.call("DELETE", "/v1/groups/\(group)", token: user).status == 403)
        #expect(try f.members(group, [meter], token: user).status == 403)
        #expect(try f.members(group, [meter], remove: true, token: user).status == 403)
        #expect(try f.call("PUT", "/v1/priority-meters/\(meter)", token: user).status == 403)
        #expect(try f.call("DELETE", "/v1/priority-meters/\(meter)", token: user).status == 403)
        // The collector is a machine: not even the list.
        #expect(try f.call("GET", "/v1/groups", token: f.tokens["collector"]).status == 403)
        // A superuser changes groups by default.
        #expect(try f.call("POST", "/v1/groups", token: f.tokens["superuser"], body: #"{"name":"theirs"}"#).status == 201)
        #expect(try f.members(group, [meter], token: f.tokens["superuser"]).status == 200)
        #expect(try f.call("GET", "/v1/groups", token: nil).status == 401)
    }
}
