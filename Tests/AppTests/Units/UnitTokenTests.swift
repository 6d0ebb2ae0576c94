import Foundation
import Testing
@testable import App
@testable import Store
import SQLite
import HTTPServer
import TestSupport

@Suite("Collection units: tokens", .serialized, .blockingIO)
struct UnitTokenTests {
    @Test func tokensAreBoundToTheirUnitAndCarryItInTheCredential() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let concentrator = try f.createUnit(f.adminA, type: "concentrator-1m")
        let driveBy = try f.createUnit(f.adminA, type: "field-device", name: "Van 2")
        let created = try f.call("POST", "/v1/collection-units/\(concentrator)/tokens", token: f.adminA,
                                 body: #"{"name":"PSU-4 uplink"}"#)
        #expect(created.status == 201)
        let secret = try #require(created.json["secret"] as? String)
        let token = try #require(created.json["token"] as? [String: Any])
        let tokenID = try #require(token["id"] as? String)
        #expect(token["role"] as? String == "collector" && created.headers["Location"] == "/v1/tokens/\(tokenID)")
        // The credential ingest sees names the unit's row.
        let credential = try #require(try await f.store.credential(hash: TokenSecret.hash(secret)))
        #expect(credential.token.collectionUnitID == (try await f.unitRowID(concentrator)))
        #expect(credential.tenant.rowID == f.tenantA.rowID)
        // A field device's token has that role.
        let device = try f.call("POST", "/v1/collection-units/\(driveBy)/tokens", token: f.adminA, body: #"{"name":"van"}"#)
        let deviceSecret = try #require(device.json["secret"] as? String)
        #expect((device.json["token"] as? [String: Any])?["role"] as? String == "field-device")
        #expect(try await f.store.credential(hash: TokenSecret.hash(deviceSecret))?.token.collectionUnitID == (try await f.unitRowID(driveBy)))
        // A collector made by POST /v1/tokens is bound to nothing.
        let plain = try #require(try f.call("POST", "/v1/tokens", token: f.adminA, body: #"{"name":"loose","role":"collector"}"#)
            .json["secret"] as? String)
        #expect(try await f.store.credential(hash: TokenSecret.hash(plain))?.token.collectionUnitID == nil)
        // Listed and revoked like any token.
        #expect(try f.call("GET", "/v1/tokens?limit=500", token: f.adminA).text.contains(tokenID))
        #expect(try f.call("GET", "/v1/me", token: secret).json["role"] as? String == "collector")
        #expect(try f.call("DELETE", "/v1/tokens/\(tokenID)", token: f.adminA).status == 204)
        #expect(try f.call("GET", "/v1/me", token: secret).status == 401)
        #expect(try await f.auditCount("type = 'token.created' AND details LIKE '%\(concentrator)%'") == 1)
    }

    @Test func secretsAreNeverReplayedOrStored() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let unit = try f.createUnit(f.adminA)
        let path = "/v1/collection-units/\(unit)/tokens"
        let first = try f.call("POST", path, token: f.adminA, body: #"{"name":"u"}"#, headers: [("Idempotency-Key", "same")])
        let second = try f.call("POST", path, token: f.adminA, body: #"{"name":"u"}"#, headers: [("Idempotency-Key", "same")])
        #expect(first.status == 201 && second.status == 201 && second.headers["Idempotent-Replayed"] == nil)
        let secrets = [first, second].compactMap { $0.json["secret"] as? String }
        #expect(Set(secrets).count == 2)
        let codes = try (0..<2).map { _ in
            try f.call("POST", "/v1/collection-units/\(unit)/share-codes", token: f.adminA, headers: [("Idempotency-Key", "k")])
        }
        #expect(codes.allSatisfy { $0.status == 201 && $0.headers["Idempotent-Replayed"] == nil })
        let kept: Int = try await f.store.pool.read { try $0.scalar("SELECT count(*) FROM idempotency_keys") ?? -1 }
        #expect(kept == 0)
        // Only hashes at rest.
        let files = try FileManager.default.contentsOfDirectory(atPath: f.directory).filter { $0.hasPrefix("fjern.sqlite") }
        let bytes = try files.flatMap { Array(try Data(contentsOf: URL(fileURLWithPath: f.directory + "/" + $0))) }
        for secret in secrets + codes.compactMap({ $0.json["code"] as? String }) {
            #expect(!bytes.contains(Array(secret.utf8)))
        }
    }

    @Test func onlyTheOwnerWithManageTokensMayCreateThem() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let unit = try f.createUnit(f.adminA)
        let path = "/v1/collection-units/\(unit)/tokens"
        // manage-tokens is the administrator's.
        #expect(try f.call("POST", path, token: f.tokens["superuser"]!, body: #"{"name":"x"}"#).status == 403)
        #expect(try f.call("POST", path, token: f.tokens["user"]!, body: #"{"name":"x"}"#).status == 403)
        #expect(try f.call("POST", path, token: f.adminA, body: #"{"name":"x","expiresAt":"2001-01-01T00:00:00Z"}"#).status == 422)
        #expect(try f.call("POST", path, token: f.adminA, body: #"{}"#).status == 400)
        // A tenant the unit is shared with sees it but may not speak for it.
        try f.share(unit, owner: f.adminA, with: f.adminB)
        let refused = try f.call("POST", path, token: f.adminB, body: #"{"name":"b's"}"#)
        #expect(refused.status == 403 && refused.text.contains("owner"))
        #expect(try f.call("POST", "/v1/collection-units/\(UUID().uuidString.lowercased())/tokens", token: f.adminA,
                           body: #"{"name":"x"}"#).status == 404)
        let bound: Int = try await f.store.pool.read { try $0.scalar("SELECT count(*) FROM tokens WHERE collection_unit_id IS NOT NULL") ?? -1 }
        #expect(bound == 0)
    }
}
