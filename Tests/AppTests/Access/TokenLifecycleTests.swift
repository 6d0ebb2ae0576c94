import Foundation
import Testing
import API
@testable import App
@testable import Store
import HTTPServer
import SQLite
import TestSupport

@Suite("Access: tokens", .serialized, .blockingIO)
struct TokenLifecycleTests {
    @Test func secretShownOnceStoredHashedAndRevocable() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let created = try f.call("POST", "/v1/tokens", token: f.adminA, body: #"{"name":"concentrator 17","role":"collector"}"#)
        #expect(created.status == 201)
        let secret = try #require(created.json["secret"] as? String)
        let token = try #require(created.json["token"] as? [String: Any])
        let id = try #require(token["id"] as? String)
        #expect(secret.hasPrefix("fj_") && secret.utf8.count == 46)
        #expect(created.headers["Location"] == "/v1/tokens/\(id)")
        // Never again: not in the single view, not in the list.
        let single = try f.call("GET", "/v1/tokens/\(id)", token: f.adminA)
        #expect(single.json["secret"] == nil && !single.text.contains(secret))
        #expect(single.json["prefix"] as? String == String(secret.prefix(9)))
        #expect(!(try f.call("GET", "/v1/tokens?limit=500", token: f.adminA).text.contains(secret)))
        // It works, as a collector.
        let me = try f.call("GET", "/v1/me", token: secret)
        #expect(me.json["role"] as? String == "collector" && me.json["kind"] as? String == "service")
        // At rest only the SHA-256 exists: search the database and its WAL for both.
        let files = try FileManager.default.contentsOfDirectory(atPath: f.directory).filter { $0.hasPrefix("fjern.sqlite") }
        let bytes = try files.flatMap { Array(try Data(contentsOf: URL(fileURLWithPath: f.directory + "/" + $0))) }
        #expect(!bytes.contains(Array(secret.utf8)))
        #expect(bytes.contains(TokenSecret.hash(secret)))
        // Revoked: fails from the next request on.
        #expect(try f.call("DELETE", "/v1/tokens/\(id)", token: f.adminA).status == 204)
        let after = try f.call("GET", "/v1/me", token: secret)
        #expect(after.status == 401 && after.text.contains("revoked"))
        #expect(try f.call("GET", "/v1/tokens/\(id)", token: f.adminA).json["revokedAt"] != nil)
    }

    @Test func expiredTokensFail() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let expired = try await f.token(f.tenantA.rowID, role: "administrator", expiresAt: Date().addingTimeInterval(-1))
        let response = try f.call("GET", "/v1/me", token: expired)
        #expect(response.status == 401 && response.text.contains("expired"))
        let live = try await f.token(f.tenantA.rowID, role: "administrator", expiresAt: Date().addingTimeInterval(3600))
        #expect(try f.call("GET", "/v1/me", token: live).status == 200)
        // The API refuses to create one that is already expired.
        let refused = try f.call("POST", "/v1/tokens", token: f.adminA, body: #"{"name":"x","role":"user","expiresAt":"2001-01-01T00:00:00Z"}"#)
        #expect(refused.status == 422)
    }

    @Test func personTokensFollowTheirUser() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let user = f.victimUserA.uuidString.lowercased()
        let created = try f.call("POST", "/v1/tokens", token: f.adminA, body: #"{"name":"laptop","userId":"\#(user)"}"#)
        let secret = try #require(created.json["secret"] as? String)
        #expect(try f.call("GET", "/v1/me", token: secret).json["role"] as? String == "user")
        #expect(try f.call("GET", "/v1/users", token: secret).status == 403)
        // Promote the user: the same token now acts as an administrator.
        #expect(try f.call("PATCH", "/v1/users/\(user)", token: f.adminA, body: #"{"role":"administrator"}"#).status == 200)
        #expect(try f.call("GET", "/v1/users", token: secret).status == 200)
        // Deleting the user revokes the token.
        #expect(try f.call("DELETE", "/v1/users/\(user)", token: f.adminA).status == 204)
        #expect(try f.call("GET", "/v1/me", token: secret).status == 401)
        // Both userId and role, or neither: 422.
        #expect(try f.call("POST", "/v1/tokens", token: f.adminA, body: #"{"name":"x"}"#).status == 422)
        #expect(try f.call("POST", "/v1/tokens", token: f.adminA,
                           body: #"{"name":"x","role":"user","userId":"\#(user)"}"#).status == 422)
        // A user of another tenant cannot be named.
        #expect(try f.call("POST", "/v1/tokens", token: f.adminA,
                           body: #"{"name":"x","userId":"\#(f.userB.uuidString.lowercased())"}"#).status == 422)
    }

    @Test func keyAccessOnlyForFieldDevices() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let device = try f.call("POST", "/v1/tokens", token: f.adminA, body: #"{"name":"van 3","role":"field-device"}"#)
        let id = try #require((device.json["token"] as? [String: Any])?["id"] as? String)
        let secret = try #require(device.json["secret"] as? String)
        #expect(!((try f.call("GET", "/v1/me", token: secret).json["permissions"] as? [String]) ?? []).contains("read-keys"))
        #expect(try f.call("PATCH", "/v1/tokens/\(id)", token: f.adminA, body: #"{"keyAccess":true}"#).json["keyAccess"] as? Bool == true)
        #expect(((try f.call("GET", "/v1/me", token: secret).json["permissions"] as? [String]) ?? []).contains("read-keys"))
        let collector = f.victimTokenA.uuidString.lowercased()
        #expect(try f.call("PATCH", "/v1/tokens/\(collector)", token: f.adminA, body: #"{"keyAccess":true}"#).status == 422)
    }

    @Test func failedAuthenticationIsAuditedThrottledAndBlocked() async throws {
        let f = try await AccessFixture.start(throttle: AuthThrottle(windowSeconds: 60, slowAfter: 2, blockAfter: 4))
        defer { Task { await f.stop() } }
        let before = try await f.auditCount("type = 'auth.failed'")
        let bogus = "fj_" + String(repeating: "B", count: 43)
        for _ in 0..<4 { #expect(try f.call("GET", "/v1/me", token: bogus).status == 401) }
        let blocked = try f.call("GET", "/v1/me", token: bogus)
        #expect(blocked.status == 429)
        #expect(Int(blocked.headers["Retry-After"] ?? "") ?? 0 >= 1)
        // A valid token from the same address is neither slowed nor blocked.
        #expect(try f.call("GET", "/v1/me", token: f.adminA).status == 200)
        // The blocked attempt is not audited: a flood cannot fill the audit log.
        #expect(try await f.auditCount("type = 'auth.failed'") == before + 4)
    }

    @Test func throttleAsAValue() {
        let throttle = AuthThrottle(windowSeconds: 60, slowAfter: 2, blockAfter: 4, capacity: 3)
        #expect(throttle.check("a", now: 0) == .allow)
        throttle.recordFailure("a", now: 0)
        throttle.recordFailure("a", now: 1)
        #expect(throttle.check("a", now: 2) == .delay(milliseconds: 100))
        throttle.recordFailure("a", now: 2)
        throttle.recordFailure("a", now: 3)
        #expect(throttle.check("a", now: 10) == .block(retryAfterSeconds: 50))
        #expect(throttle.check("a", now: 61) == .allow)  // the window is over
        for address in ["b", "c", "d", "e"] { throttle.recordFailure(address, now: 5) }
        #expect(throttle.check("b", now: 6) == .allow)
        #expect(AuthThrottle.address(of: "10.0.0.1:5555") == "10.0.0.1")
        #expect(AuthThrottle.address(of: "[::1]:80") == "[::1]")
    }
}
