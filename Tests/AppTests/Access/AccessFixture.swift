import Foundation
import Glibc
import Testing
@testable import App
import HTTPServer
@testable import Store
import TestSupport
import SQLite

/// A running application with two tenants: A has a token for every role plus resources to act
/// on; B has an administrator and resources A must never see.
final class AccessFixture: @unchecked Sendable {
    let app: Application
    let store: Store
    let directory: String
    var tenantA: TenantRecord!
    var tenantB: TenantRecord!
    /// Service tokens of tenant A, by role.
    var tokens: [String: String] = [:]
    var adminA = ""
    var adminB = ""
    var victimUserA = UUID()
    var victimTokenA = UUID()
    var userB = UUID()
    var tokenB = UUID()

    static func start(throttle: AuthThrottle = AuthThrottle(slowAfter: 1000, blockAfter: 1000)) async throws -> AccessFixture {
        var template = Array("/tmp/fjern-access-XXXXXX".utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        var options = ServeOptions()
        options.port = 0
        options.dataDirectory = directory
        options.logRequests = false
        let app = Application(options: options, log: DiscardLog(), throttle: throttle)
        try await app.start()
        let fixture = AccessFixture(app: app, store: app.store!, directory: directory)
        try await fixture.populate()
        return fixture
    }

    private init(app: Application, store: Store, directory: String) {
        self.app = app
        self.store = store
        self.directory = directory
    }

    func stop() async {
        await app.stop()
        _ = try? FileManager.default.removeItem(atPath: directory)
    }

    static let setup = AuditEntry(type: "test.setup", principal: "test", client: "test")

    private func populate() async throws {
        tenantA = try await store.createTenant(name: "A", timeZone: "Europe/Copenhagen", audit: Self.setup)
        tenantB = try await store.createTenant(name: "B", timeZone: "UTC", audit: Self.setup)
        for role in AccessModel.roles { tokens[role] = try await token(tenantA.rowID, role: role) }
        let admin = try await store.createUser(tenant: tenantA.rowID, name: "Alice", email: "alice@a.example",
                                               role: "administrator", audit: Self.setup)
        adminA = try await token(tenantA.rowID, user: admin.id)
        victimUserA = try await store.createUser(tenant: tenantA.rowID, name: "Victor", email: "victor@a.example",
                                                 role: "user", audit: Self.setup).id
        victimTokenA = try await store.createToken(tenant: tenantA.rowID, name: "victim", user: nil, role: "collector",
                                                   hash: TokenSecret.hash(try TokenSecret.generate()), prefix: "fj_x",
                                                   expiresAt: nil, audit: Self.setup).id
        let bAdmin = try await store.createUser(tenant: tenantB.rowID, name: "Bob", email: "bob@b.example",
                                                role: "administrator", audit: Self.setup)
        adminB = try await token(tenantB.rowID, user: bAdmin.id)
        userB = try await store.createUser(tenant: tenantB.rowID, name: "Berit", email: "berit@b.example",
                                           role: "user", audit: Self.setup).id
        tokenB = try await store.createToken(tenant: tenantB.rowID, name: "b-collector", user: nil, role: "collector",
                                             hash: TokenSecret.hash(try TokenSecret.generate()), prefix: "fj_y",
                                             expiresAt: nil, audit: Self.setup).id
    }

    func token(_ tenant: Int64, role: String? = nil, user: UUID? = nil, expiresAt: Date? = nil) async throws -> String {
        try await TokenSecret.issue(store, tenant: tenant, name: "test \(role ?? "person")", user: user, role: role,
                                    expiresAt: expiresAt, audit: Self.setup).secret
    }

    /// One request on a fresh connection.
    func call(_ method: String, _ path: String, token: String?, body: String? = nil,
              headers: [(String, String)] = []) throws -> RawClient.Response {
        try RawClient.exchange(port: app.port, method, path, token: token, body: body.map { Array($0.utf8) }, headers: headers)
    }

    func auditCount(_ where: String = "1") async throws -> Int {
        try await store.pool.read { conn in try conn.scalar("SELECT count(*) FROM audit_events WHERE \(`where`)") ?? 0 }
    }
}

extension RawClient.Response {
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
}
