import Foundation
import Testing
@testable import App
@testable import Store
import TestSupport
import HTTPServer
import SQLite

@Suite("Groups: members and the meter list's group filter", .serialized, .blockingIO)
struct GroupMembersTests {
    @Test func bulkAddAndRemoveAreIdempotent() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let meters = try f.createMeters(4)
        let group = try f.createGroup("East area")
        let added = try f.members(group, [meters[0], meters[1], meters[0]])
        #expect(added.status == 200, "\(added.text)")
        #expect(added.json["changed"] as? Int == 2 && added.json["meterCount"] as? Int == 2)
        // Again, with one more: only the new one counts as changed.
        let again = try f.call("POST", "/v1/groups/\(group)/members", token: f.adminA,
                               body: #"{"meterIds":["\#(meters[1])","\#(meters[2])"]}"#, headers: [("Idempotency-Key", "k")])
        #expect(again.json["changed"] as? Int == 1 && again.json["meterCount"] as? Int == 3)
        #expect(try f.meterIds("group=\(group)") == Array(meters[0...2]))
        // A meter may be in several groups.
        let other = try f.createGroup("Observation list B")
        #expect(try f.members(other, [meters[0]]).json["meterCount"] as? Int == 1)
        #expect(try f.meterIds("group=\(other)") == [meters[0]])

        let removed = try f.members(group, [meters[0], meters[3]], remove: true)
        #expect(removed.status == 200 && removed.json["changed"] as? Int == 1 && removed.json["meterCount"] as? Int == 2)
        #expect(try f.members(group, [meters[0]], remove: true).json["changed"] as? Int == 0)
        #expect(try f.meterIds("group=\(group)") == [meters[1], meters[2]])
        #expect(try f.meterIds("group=\(other)") == [meters[0]])
        #expect(try f.meterIds("group=non-grouped") == [meters[3]])
        #expect(try await f.auditCount("type = 'group.members-added' AND details = '{\"added\":1}'") == 2)
        #expect(try await f.auditCount("type = 'group.members-removed' AND target = '/v1/groups/\(group)'") == 2)
        // Deleting the group takes its membership, never its meters.
        #expect(try f.call("DELETE", "/v1/groups/\(group)", token: f.adminA).status == 204)
        let rows: Int = try await f.store.pool.read { try $0.scalar("SELECT count(*) FROM group_members") ?? -1 }
        #expect(rows == 1)
        #expect(try f.meterIds("group=all").count == 4)
        #expect(Set(try f.meterIds("group=non-grouped")) == Set([meters[1], meters[2], meters[3]]))
    }

    @Test func unknownAndForeignMetersAreRefusedByIndexAndNothingChanges() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let mine = try f.createMeters(2)
        let theirs = try f.createMeters(1, token: f.adminB)[0]
        let group = try f.createGroup("Central city")
        let unknown = UUID().uuidString.lowercased()
        let refused = try f.members(group, [mine[0], theirs, mine[1], unknown])
        #expect(refused.status == 422 && refused.pointers == ["/meterIds/1", "/meterIds/3"])
        #expect(refused.text.contains("nothing was changed"))
        #expect(try f.meterIds("group=\(group)").isEmpty)
        #expect(try f.members(group, [theirs], remove: true).pointers == ["/meterIds/0"])
        // A deleted meter is not a meter any more.
        let etag = try f.call("GET", "/v1/meters/\(mine[1])", token: f.adminA).headers["ETag"] ?? ""
        #expect(try f.call("DELETE", "/v1/meters/\(mine[1])", token: f.adminA, headers: [("If-Match", etag)]).status == 204)
        #expect(try f.members(group, [mine[1]]).status == 422)
        // B's meter is untouched and in no group of A's.
        let bGroups: Int = try await f.store.pool.read {
            try $0.scalar("SELECT count(*) FROM group_members gm JOIN meters m ON m.id = gm.meter_id WHERE m.public_id = ?", [theirs]) ?? -1
        }
        #expect(bGroups == 0)
        // The contract bounds the request.
        #expect(try f.call("POST", "/v1/groups/\(group)/members", token: f.adminA, body: #"{"meterIds":[]}"#).status == 400)
        #expect(try f.call("POST", "/v1/groups/\(group)/members", token: f.adminA, body: #"{"meterIds":["x"]}"#).pointers
            == ["/meterIds/0"])
        let tooMany = (0...10_000).map { _ in "\"\(UUID().uuidString)\"" }.joined(separator: ",")
        #expect(try f.call("POST", "/v1/groups/\(group)/members", token: f.adminA, body: #"{"meterIds":[\#(tooMany)]}"#).status == 400)
    }

    @Test func tenThousandMembersAtOnce() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let ids: [String] = try await f.store.pool.write { conn in
            var ids: [String] = []
            for serial in 0..<10_000 {
                let id = UUID().uuidString.lowercased()
                try conn.execute("""
                    INSERT INTO meters (public_id, tenant_id, manufacturer, serial, medium, lifecycle, created_at, updated_at)
                    VALUES (?, ?, 'KAM', ?, 'heat', 'in-stock', 0, 0)
                    """, [id, f.tenantA.rowID, String(serial)])
                ids.append(id)
            }
            return ids
        }
        let group = try f.createGroup("Everything")
        let response = try f.members(group, ids)
        #expect(response.status == 200 && response.json["changed"] as? Int == 10_000 && response.json["meterCount"] as? Int == 10_000)
        let page = try f.call("GET", "/v1/meters?group=\(group)&limit=100", token: f.adminA)
        #expect(page.jsonArray.compactMap { $0["id"] as? String } == Array(ids.prefix(100)))
        #expect(try f.call("GET", "/v1/meters?group=non-grouped", token: f.adminA).jsonArray.isEmpty)
        let removed = try f.members(group, Array(ids.suffix(5_000)), remove: true)
        #expect(removed.json["changed"] as? Int == 5_000 && removed.json["meterCount"] as? Int == 5_000)
        #expect(try f.meterIds("group=non-grouped").count == 5_000)
    }

    @Test func groupFilterOfEveryKind() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let single = try f.createMeters(2, first: 100)
        let group = try f.createGroup("West area")
        _ = try f.members(group, [single[1]])
        #expect(try f.call("PUT", "/v1/priority-meters/\(single[0])", token: f.adminA).status == 204)
        // Before any import nothing is "last imported".
        #expect(try f.meterIds("group=last-imported").isEmpty)

        let first = try f.call("POST", "/v1/meters/import", token: f.adminA, body: """
            {"meters":[{"manufacturer":"KAM","serial":"1","medium":"heat"},{"manufacturer":"KAM","serial":"2","medium":"heat"}]}
            """)
        #expect(first.json["created"] as? Int == 2)
        let imported1 = try f.meterIds("group=last-imported")
        #expect(imported1.count == 2)
        // The second import (CSV) updates meter 2 and creates meter 3: those are the last imported now.
        let second = try f.csv("manufacturer;serial;medium;label\nKAM;2;heat;updated\nKAM;3;water;\n")
        #expect(second.status == 200 && second.json["created"] as? Int == 1 && second.json["updated"] as? Int == 1)
        let imported2 = try f.meterIds("group=last-imported")
        #expect(imported2.count == 2 && imported2.first == imported1[1])
        let serials = try f.call("GET", "/v1/meters?group=last-imported", token: f.adminA).jsonArray.compactMap { $0["serial"] as? String }
        #expect(serials == ["2", "3"])
        // An import that writes nothing leaves the last one's meters.
        let nothing = try f.call("POST", "/v1/meters/import", token: f.adminA, body: #"{"meters":[{"manufacturer":"bad"}]}"#)
        #expect(nothing.json["rejected"] as? Int == 1)
        #expect(try f.meterIds("group=last-imported") == imported2)
        // B's import is B's: A's last imported stay.
        _ = try f.call("POST", "/v1/meters/import", token: f.adminB, body: #"{"meters":[{"manufacturer":"KAM","serial":"9","medium":"heat"}]}"#)
        #expect(try f.meterIds("group=last-imported") == imported2)
        #expect(try f.meterIds("group=last-imported", token: f.adminB).count == 1)
        let counts = try f.call("GET", "/v1/groups", token: f.adminA).jsonArray.compactMap { $0["meterCount"] as? Int }
        #expect(counts == [5, 4, 2, 1, 1])

        #expect(try f.meterIds("group=priority") == [single[0]])
        #expect(try f.meterIds("group=\(group)") == [single[1]])
        #expect(try f.meterIds("group=all").count == 5)
        #expect(try f.meterIds("group=non-grouped").count == 4)
        // The filter combines with the others, and pages (limit 1) in meter order.
        #expect(try f.meterIds("group=last-imported&medium=water").count == 1)
        #expect(try f.meterIds("group=non-grouped&q=100", limit: 1) == [single[0]])
        #expect(try f.meterIds("group=non-grouped", limit: 1).count == 4)
        let unknown = try f.call("GET", "/v1/meters?group=\(UUID().uuidString)", token: f.adminA)
        #expect(unknown.status == 404 && unknown.headers["Content-Type"] == "application/problem+json")
        let invalid = try f.call("GET", "/v1/meters?group=west", token: f.adminA)
        #expect(invalid.status == 400 && invalid.pointers == ["#/query/group"])
    }
}
