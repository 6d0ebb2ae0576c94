import Foundation
import Testing
import API
@testable import App
@testable import Store
import HTTPServer
import TestSupport

/// For every operation in openapi.yaml (enumerated from the generated table, which the
/// staleness test keeps equal to the spec), every role gets exactly what the default matrix
/// grants, and another tenant's resources do not exist for the caller.
@Suite("Access: role matrix and tenant isolation", .serialized, .blockingIO)
struct RoleMatrixTests {
    static let defaults: [String: Set<String>] = [
        "user": ["view", "export"],
        "superuser": ["view", "export", "import", "configure", "create", "edit", "delete", "rename", "disconnect"],
        "administrator": Set(AccessModel.humanPermissions),
        "collector": ["ingest"],
        "field-device": ["sync", "ingest"],
    ]

    /// Bodies the contract accepts, where `{"name":"x"}` is not one: the 404 must come from the
    /// resource, not from a 400 for the body.
    /// Required query parameters, so the request is valid and only the tenant can make it 404.
    static let validQueries: [String: String] = [
        "getConsumption": "?resolution=day&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&register=heatEnergyKWh",
        "getConsumptionReport": "?format=csv&resolution=day&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&register=heatEnergyKWh",
        "getBillingReading": "?at=2026-01-01T00:00:00Z&register=heatEnergyKWh",
    ]

    static let validBodies: [String: String] = [
        "updateMeter": #"{"label":"x"}"#,
        "setMeterKey": #"{"key":"000102030405060708090A0B0C0D0E0F"}"#,
        "updateMeteringPoint": #"{"city":"x"}"#,
        "addGroupMembers": #"{"meterIds":["3f1e3c1e-2b7a-4c55-9c1a-1b2c3d4e5f60"]}"#,
        "removeGroupMembers": #"{"meterIds":["3f1e3c1e-2b7a-4c55-9c1a-1b2c3d4e5f60"]}"#,
        "replaceConsumptionAlert": #"{"name":"x","register":"volumeM3","limit":1,"period":"day","group":"all","start":"2026-01-01T00:00:00Z"}"#,
        "resetConsumptionAlert": "{}",
        "updateWebhook": "{}",
        "updateNotificationRule": #"{"active":false}"#,
    ]

    func concretePath(_ template: String, user: UUID, token: UUID, unit: UUID = UUID(), tenant: UUID = UUID(),
                      meter: UUID = UUID(), point: UUID = UUID(), exchange: UUID = UUID(), group: UUID = UUID(),
                      customer: UUID = UUID(), alert: UUID = UUID(), webhook: UUID = UUID(), rule: UUID = UUID()) -> String {
        template.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            switch segment {
            case "{userId}": user.uuidString.lowercased()
            case "{tokenId}": token.uuidString.lowercased()
            case "{unitId}": unit.uuidString.lowercased()
            case "{tenantId}": tenant.uuidString.lowercased()
            case "{meterId}": meter.uuidString.lowercased()
            case "{meteringPointId}": point.uuidString.lowercased()
            case "{exchangeId}": exchange.uuidString.lowercased()
            case "{groupId}": group.uuidString.lowercased()
            case "{customerId}": customer.uuidString.lowercased()
            case "{alertId}": alert.uuidString.lowercased()
            case "{webhookId}": webhook.uuidString.lowercased()
            case "{ruleId}": rule.uuidString.lowercased()
            case "{role}": "user"
            case "{runId}": UUID().uuidString.lowercased()
            default: String(segment)
            }
        }.joined(separator: "/")
    }

    @Test func everyRoleGetsExactlyWhatTheMatrixGrants() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let operations = Routes.operations.filter { !$0.isPublic }
        #expect(operations.count >= 17)
        for operation in operations {
            for role in AccessModel.roles {
                let path = concretePath(operation.pathTemplate, user: f.victimUserA, token: f.victimTokenA)
                let body = [.post, .put, .patch].contains(operation.method) ? "{}" : nil
                let response = try f.call(operation.method.rawValue, path, token: f.tokens[role], body: body)
                let allowed = operation.permission.map { Self.defaults[role]!.contains($0) } ?? true
                if allowed {
                    #expect(![401, 403].contains(response.status), "\(role) \(operation.id): \(response.status) \(response.text)")
                } else {
                    #expect(response.status == 403, "\(role) \(operation.id): \(response.status)")
                }
            }
        }
    }

    @Test func everyProtectedOperationRequiresAToken() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        for operation in Routes.operations where !operation.isPublic {
            let path = concretePath(operation.pathTemplate, user: f.victimUserA, token: f.victimTokenA)
            for token in [nil, "fj_" + String(repeating: "A", count: 43), "not-a-token"] {
                let response = try f.call(operation.method.rawValue, path, token: token)
                #expect(response.status == 401, "\(operation.id) with \(token ?? "no token")")
                #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
            }
        }
    }

    @Test func anotherTenantsResourcesAreNotFound() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        var checked = 0
        // B's collection unit (shared with nobody) and meter.
        let unitB = try await f.store.createUnit(tenant: f.tenantB.rowID, type: "concentrator", fields: .init(name: "B's"),
                                                 audit: AccessFixture.setup).id
        let meterB = try #require(UUID(uuidString: try f.createMeter(#"{"manufacturer":"KAM","serial":"1","medium":"heat"}"#,
                                                                     token: f.adminB)["id"] as? String ?? ""))
        // B's metering point (its meter exchanged once) and that exchange.
        let pointB = try f.createPoint(token: f.adminB)["id"] as? String ?? ""
        let oldB = try f.createMeter(#"{"manufacturer":"KAM","serial":"2","medium":"heat","meteringPointId":"\#(pointB)"}"#,
                                     token: f.adminB)["id"] as? String ?? ""
        let newB = try f.createMeter(#"{"manufacturer":"KAM","serial":"3","medium":"heat"}"#, token: f.adminB)["id"] as? String ?? ""
        let exchangeB = try f.call("POST", "/v1/meter-exchanges", token: f.adminB,
                                   body: #"{"oldMeterId":"\#(oldB)","newMeterId":"\#(newB)","exchangedAt":"\#(rfc3339(Date()))"}"#)
        #expect(exchangeB.status == 201)
        let groupB = try #require(UUID(uuidString: try f.call("POST", "/v1/groups", token: f.adminB,
                                                              body: #"{"name":"B's group"}"#).json["id"] as? String ?? ""))
        let customerB = try #require(UUID(uuidString: try f.createCustomer(#"{"customerNumber":"B-1"}"#, token: f.adminB)["id"] as? String ?? ""))
        let alertB = try #require(UUID(uuidString: try f.call("POST", "/v1/consumption-alerts", token: f.adminB, body: #"""
            {"name":"B's","register":"volumeM3","limit":1,"period":"day","meterId":"\#(meterB.uuidString.lowercased())","start":"2026-01-01T00:00:00Z"}
            """#).json["id"] as? String ?? ""))
        let webhookB = try #require(UUID(uuidString: (try f.call("POST", "/v1/webhooks", token: f.adminB,
            body: #"{"url":"https://b.example/hook","eventTypes":["reading.created"]}"#).json["webhook"] as? [String: Any])?["id"] as? String ?? ""))
        let ruleB = try #require(UUID(uuidString: try f.call("POST", "/v1/notification-rules", token: f.adminB,
                                                             body: #"{"recipient":"ops@b.example","channel":"email"}"#).json["id"] as? String ?? ""))
        // read-keys belongs to field-device tokens only (an administrator gets 403 before any
        // lookup); MeterKeyTests covers another device's id being 404.
        for operation in Routes.operations where operation.pathTemplate.contains("Id}") && operation.permission != "read-keys" {
            let path = concretePath(operation.pathTemplate, user: f.userB, token: f.tokenB, unit: unitB, tenant: f.tenantA.id,
                                    meter: meterB, point: UUID(uuidString: pointB) ?? UUID(),
                                    exchange: UUID(uuidString: exchangeB.json["id"] as? String ?? "") ?? UUID(), group: groupB,
                                    customer: customerB, alert: alertB, webhook: webhookB, rule: ruleB)
            let body = [.post, .put, .patch].contains(operation.method) ? Self.validBodies[operation.id] ?? #"{"name":"x"}"# : nil
            let response = try f.call(operation.method.rawValue, path + (Self.validQueries[operation.id] ?? ""),
                                      token: f.adminA, body: body)
            #expect(response.status == 404, "\(operation.id): \(response.status) \(response.text)")
            checked += 1
        }
        #expect(checked >= 6)
        // B's things are still there, untouched, for B.
        #expect(try f.call("GET", "/v1/users/\(f.userB.uuidString.lowercased())", token: f.adminB).status == 200)
        #expect(try f.call("GET", "/v1/tokens/\(f.tokenB.uuidString.lowercased())", token: f.adminB).json["revokedAt"] == nil)
        // Lists show only the caller's tenant.
        let users = try f.call("GET", "/v1/users?limit=500", token: f.adminA).text
        #expect(!users.contains(f.userB.uuidString.lowercased()) && !users.contains("berit@b.example"))
        let tokens = try f.call("GET", "/v1/tokens?limit=500", token: f.adminA).text
        #expect(!tokens.contains(f.tokenB.uuidString.lowercased()))
        let audit = try f.call("GET", "/v1/audit-events?limit=500", token: f.adminA).text
        #expect(!audit.contains(f.userB.uuidString.lowercased()))
        #expect(try f.call("GET", "/v1/tenant", token: f.adminA).json["name"] as? String == "A")
        #expect(try f.call("GET", "/v1/collection-units/\(unitB.uuidString.lowercased())", token: f.adminB).status == 200)
    }
}
