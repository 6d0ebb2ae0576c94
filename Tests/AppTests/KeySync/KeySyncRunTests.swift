import Foundation
import Testing
@testable import App
@testable import Store
import TestSupport
import HTTPServer

@Suite("Key retrieval runs", .serialized, .blockingIO)
struct KeySyncRunTests {
    static let waterKey: [UInt8] = (0..<16).map { UInt8(200 - $0) }

    static func meter(_ serial: String, key: String, model: String = "MULTICAL 21", deviceType: Int = 0x16) -> [String: Any] {
        ["serial": serial, "manufacturer": "KAM", "model": model, "key": key, "version": 0x1B, "deviceType": deviceType]
    }

    func settings(_ f: IngestFixture, port: Int, token: String = "s3cret", as caller: String? = nil) async throws -> RawClient.Response {
        try await f.call("PUT", "/v1/key-sync/settings", token: caller ?? f.adminA,
                         body: #"{"baseUrl":"http://127.0.0.1:\#(port)/api/","token":"\#(token)"}"#)
    }

    /// Starts a run and waits for it to end; returns the finished run.
    func run(_ f: IngestFixture, token: String? = nil) async throws -> [String: Any] {
        let started = try await f.send("POST", "/v1/key-sync/runs", token: token ?? f.adminA, headers: [("Idempotency-Key", UUID().uuidString)])
        #expect(started.status == 202, "\(started.text)")
        let location = try #require(started.headers["Location"])
        var run: [String: Any] = [:]
        _ = try await f.eventually {
            run = try await f.call("GET", location, token: token ?? f.adminA).json
            return run["state"] as? String != "running"
        }
        return run
    }

    @Test func runsFollowPagesApplyAllOrNothingAndContinueFromTheCursor() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        var config: [String: Any] = ["token": "s3cret", "pages": [
            "": ["meters": [Self.meter("61234567", key: IngestFixture.hex(Self.waterKey)),
                            Self.meter("76348799", key: String(repeating: "AB", count: 16), model: "MULTICAL 603", deviceType: 0x04)],
                 "nextCursor": "p1"],
            "p1": ["meters": [Self.meter("76348800", key: "XYZ")], "nextCursor": "p2"],
            "p2": ["meters": [] as [Any]],
        ]]
        let peer = try KeyServerPeer.start(config)
        defer { peer.stop() }
        // A telegram waiting for a meter nobody has registered yet, and a meter with an old key.
        #expect(try await f.post("north", [IngestFixture.multical21(id: 61_234_567, key: Self.waterKey, litres: 99)])["pending"] as? Int == 1)
        let existing = try await f.addMeter(tenant: f.tenantA.rowID, serial: "76348799", key: Array(repeating: 1, count: 16))

        let put = try await settings(f, port: peer.port)
        #expect(put.status == 200, "\(put.text)")
        #expect(put.json["hasToken"] as? Bool == true)
        #expect(!put.text.contains("s3cret"))

        let first = try await run(f)
        #expect(first["state"] as? String == "succeeded", "\(first)")
        #expect(first["trigger"] as? String == "manual")
        #expect(first["received"] as? Int == 3)
        #expect(first["created"] as? Int == 1)
        #expect(first["updated"] as? Int == 1)
        #expect(first["rejected"] as? Int == 1)
        #expect((first["errors"] as? [[String: Any]])?.first?["serial"] as? String == "76348800")
        #expect(first["cursor"] as? String == "p2")
        #expect(peer.requests == ["\tBearer s3cret", "p1\tBearer s3cret", "p2\tBearer s3cret"])

        let created = try #require(try await f.meter(serial: "61234567", token: f.adminA))
        #expect(created["lifecycle"] as? String == "in-stock")
        #expect(created["model"] as? String == "MULTICAL 21")
        let id = try #require(UUID(uuidString: created["id"] as? String ?? ""))
        #expect(try await f.call("GET", "/v1/meters/\(id.uuidString.lowercased())/key-status", token: f.adminA).json["source"] as? String == "key-server")
        #expect(try await f.call("GET", "/v1/meters/\(existing.uuidString.lowercased())/key-status", token: f.adminA).json["source"] as? String == "key-server")
        // The waiting telegram is decoded now.
        #expect(try await f.eventually { try await f.readings(id, token: f.adminA).count == 1 })
        #expect(try await f.call("GET", "/v1/key-sync/settings", token: f.adminA).json["cursor"] as? String == "p2")

        // The next run continues from the cursor.
        config["pages"] = ["p2": ["meters": [Self.meter("70000001", key: String(repeating: "01", count: 16))], "nextCursor": "p3"],
                           "p3": ["meters": [] as [Any]]]
        try peer.configure(config)
        let second = try await run(f)
        #expect(second["state"] as? String == "succeeded")
        #expect(second["startCursor"] as? String == "p2")
        #expect(second["created"] as? Int == 1)
        #expect(second["cursor"] as? String == "p3")

        // A page that fails after one that worked: the run fails and nothing of it is applied.
        config["pages"] = ["p3": ["meters": [Self.meter("70000002", key: String(repeating: "02", count: 16))], "nextCursor": "p4"]]
        config["status"] = ["p4": 500]
        try peer.configure(config)
        let failed = try await run(f)
        #expect(failed["state"] as? String == "failed")
        #expect((failed["error"] as? String)?.contains("HTTP 500") == true, "\(failed)")
        #expect(try await f.meter(serial: "70000002", token: f.adminA) == nil)
        #expect(try await f.call("GET", "/v1/key-sync/settings", token: f.adminA).json["cursor"] as? String == "p3")

        // A closed port.
        #expect(try await settings(f, port: 1).status == 200)
        let refused = try await run(f)
        #expect(refused["state"] as? String == "failed")
        #expect((refused["error"] as? String)?.contains("could not be reached") == true, "\(refused)")

        let list = try await f.call("GET", "/v1/key-sync/runs?limit=3", token: f.adminA)
        #expect((list.json["items"] as? [[String: Any]])?.map { $0["state"] as? String } == ["failed", "failed", "succeeded"])
        #expect(list.json["nextCursor"] is String)
    }

    @Test func oneRunAtATimeValidationPermissionsAndTenants() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let peer = try KeyServerPeer.start(["token": "t", "pages": ["": ["meters": [] as [Any]]], "delay": ["": 1.5]])
        defer { peer.stop() }
        // Not configured yet.
        #expect(try await f.send("POST", "/v1/key-sync/runs", token: f.adminA).status == 409)
        #expect(try await f.call("GET", "/v1/key-sync/settings", token: f.adminA).status == 404)
        // Plain http only on loopback; a certificate needs its key.
        let remote = try await f.call("PUT", "/v1/key-sync/settings", token: f.adminA, body: #"{"baseUrl":"http://keys.example.com"}"#)
        #expect(remote.status == 422)
        #expect(remote.pointers == ["/baseUrl"])
        let half = try await f.call("PUT", "/v1/key-sync/settings", token: f.adminA,
                                    body: #"{"baseUrl":"https://keys.example.com","clientCertificatePath":"/etc/c.pem"}"#)
        #expect(half.pointers == ["/clientKeyPath"])

        let user = try await f.userToken(f.tenantA.rowID)
        #expect(try await settings(f, port: peer.port, token: "t", as: user).status == 403)
        #expect(try await settings(f, port: peer.port, token: "t").status == 200)
        #expect(try await f.send("POST", "/v1/key-sync/runs", token: user).status == 403)

        let started = try await f.send("POST", "/v1/key-sync/runs", token: f.adminA)
        #expect(started.status == 202)
        #expect(started.json["state"] as? String == "running")
        let again = try await f.send("POST", "/v1/key-sync/runs", token: f.adminA)
        #expect(again.status == 409)
        // Tenant B sees neither the run nor the settings.
        let location = try #require(started.headers["Location"])
        #expect(try await f.call("GET", location, token: f.adminB).status == 404)
        #expect(try await f.call("GET", "/v1/key-sync/settings", token: f.adminB).status == 404)
        #expect((try await f.call("GET", "/v1/key-sync/runs", token: f.adminB).json["items"] as? [Any])?.isEmpty == true)
        #expect(try await f.eventually { try await f.call("GET", location, token: f.adminA).json["state"] as? String == "succeeded" })
        // A stale If-Match is refused.
        let stale = try await f.send("PUT", "/v1/key-sync/settings", token: f.adminA,
                                     body: Array(#"{"baseUrl":"https://keys.example.com"}"#.utf8), headers: [("If-Match", "\"7\"")])
        #expect(stale.status == 412)
    }
}
