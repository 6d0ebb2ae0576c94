import Testing
import FoundationEssentials
import Synchronization
import HTTPServer
import API

/// The real API (Sources/API/Generated), answered by a stub handler.
struct StubHandler: API.APIProtocol {
    static let startedAt = Date(timeIntervalSince1970: 1_700_000_000)

    func getHealth(_ input: API.Operations.GetHealth.Input) async throws -> API.Operations.GetHealth.Output {
        .ok(.init(status: .ok))
    }
    func getReadiness(_ input: API.Operations.GetReadiness.Input) async throws -> API.Operations.GetReadiness.Output {
        .serviceUnavailable(.init(type: "about:blank", title: "Service Unavailable", status: 503), retryAfter: 5)
    }
    func getInfo(_ input: API.Operations.GetInfo.Input) async throws -> API.Operations.GetInfo.Output {
        .ok(.init(name: "fjern", version: "0.1.0",
                  build: .init(configuration: .debug, compiler: "6.3.1", startedAt: Self.startedAt)))
    }
    func getOpenAPISpec(_ input: API.Operations.GetOpenAPISpec.Input) async throws -> API.Operations.GetOpenAPISpec.Output {
        .ok(API.OpenAPISpec.bytes)
    }

    // The access operations answer the spec's default problem: routing, not behaviour, is tested here.
    static let notImplemented = API.Components.Schemas.Problem(type: "about:blank", title: "Not Implemented", status: 501)
    func getMe(_ input: API.Operations.GetMe.Input) async throws -> API.Operations.GetMe.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func getTenant(_ input: API.Operations.GetTenant.Input) async throws -> API.Operations.GetTenant.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func updateTenant(_ input: API.Operations.UpdateTenant.Input) async throws -> API.Operations.UpdateTenant.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func listUsers(_ input: API.Operations.ListUsers.Input) async throws -> API.Operations.ListUsers.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func createUser(_ input: API.Operations.CreateUser.Input) async throws -> API.Operations.CreateUser.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func getUser(_ input: API.Operations.GetUser.Input) async throws -> API.Operations.GetUser.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func updateUser(_ input: API.Operations.UpdateUser.Input) async throws -> API.Operations.UpdateUser.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func deleteUser(_ input: API.Operations.DeleteUser.Input) async throws -> API.Operations.DeleteUser.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func listTokens(_ input: API.Operations.ListTokens.Input) async throws -> API.Operations.ListTokens.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func createToken(_ input: API.Operations.CreateToken.Input) async throws -> API.Operations.CreateToken.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func getToken(_ input: API.Operations.GetToken.Input) async throws -> API.Operations.GetToken.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func updateToken(_ input: API.Operations.UpdateToken.Input) async throws -> API.Operations.UpdateToken.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func revokeToken(_ input: API.Operations.RevokeToken.Input) async throws -> API.Operations.RevokeToken.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func listRoles(_ input: API.Operations.ListRoles.Input) async throws -> API.Operations.ListRoles.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func getRolePermissions(_ input: API.Operations.GetRolePermissions.Input) async throws -> API.Operations.GetRolePermissions.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func setRolePermissions(_ input: API.Operations.SetRolePermissions.Input) async throws -> API.Operations.SetRolePermissions.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func listAuditEvents(_ input: API.Operations.ListAuditEvents.Input) async throws -> API.Operations.ListAuditEvents.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    // MARK: meters
    func listMeters(_ input: API.Operations.ListMeters.Input) async throws -> API.Operations.ListMeters.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func createMeter(_ input: API.Operations.CreateMeter.Input) async throws -> API.Operations.CreateMeter.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func importMeters(_ input: API.Operations.ImportMeters.Input) async throws -> API.Operations.ImportMeters.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func importMetersCSV(_ input: API.Operations.ImportMetersCSV.Input) async throws -> API.Operations.ImportMetersCSV.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func getMeter(_ input: API.Operations.GetMeter.Input) async throws -> API.Operations.GetMeter.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func updateMeter(_ input: API.Operations.UpdateMeter.Input) async throws -> API.Operations.UpdateMeter.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func deleteMeter(_ input: API.Operations.DeleteMeter.Input) async throws -> API.Operations.DeleteMeter.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func setMeterKey(_ input: API.Operations.SetMeterKey.Input) async throws -> API.Operations.SetMeterKey.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func deleteMeterKey(_ input: API.Operations.DeleteMeterKey.Input) async throws -> API.Operations.DeleteMeterKey.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func getMeterKeyStatus(_ input: API.Operations.GetMeterKeyStatus.Input) async throws -> API.Operations.GetMeterKeyStatus.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func listFieldDeviceKeys(_ input: API.Operations.ListFieldDeviceKeys.Input) async throws -> API.Operations.ListFieldDeviceKeys.Output {
        .default(statusCode: 501, Self.notImplemented)
    }


    // MARK: collection units
    func listCollectionUnits(_ input: API.Operations.ListCollectionUnits.Input) async throws -> API.Operations.ListCollectionUnits.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func createCollectionUnit(_ input: API.Operations.CreateCollectionUnit.Input) async throws -> API.Operations.CreateCollectionUnit.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func getCollectionUnit(_ input: API.Operations.GetCollectionUnit.Input) async throws -> API.Operations.GetCollectionUnit.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func updateCollectionUnit(_ input: API.Operations.UpdateCollectionUnit.Input) async throws -> API.Operations.UpdateCollectionUnit.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func deleteCollectionUnit(_ input: API.Operations.DeleteCollectionUnit.Input) async throws -> API.Operations.DeleteCollectionUnit.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func createCollectionUnitToken(_ input: API.Operations.CreateCollectionUnitToken.Input) async throws -> API.Operations.CreateCollectionUnitToken.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func createShareCode(_ input: API.Operations.CreateShareCode.Input) async throws -> API.Operations.CreateShareCode.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func redeemShareCode(_ input: API.Operations.RedeemShareCode.Input) async throws -> API.Operations.RedeemShareCode.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func listCollectionUnitShares(_ input: API.Operations.ListCollectionUnitShares.Input) async throws -> API.Operations.ListCollectionUnitShares.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func deleteCollectionUnitShare(_ input: API.Operations.DeleteCollectionUnitShare.Input) async throws -> API.Operations.DeleteCollectionUnitShare.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func listHeardMeters(_ input: API.Operations.ListHeardMeters.Input) async throws -> API.Operations.ListHeardMeters.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func listMeterReceptions(_ input: API.Operations.ListMeterReceptions.Input) async throws -> API.Operations.ListMeterReceptions.Output {
        .default(statusCode: 501, Self.notImplemented)
    }


    // MARK: ingest and readings

    func ingestTelegrams(_ input: API.Operations.IngestTelegrams.Input) async throws -> API.Operations.IngestTelegrams.Output {
        .ok(.init(accepted: 0, decoded: 0, duplicates: 0, pending: 0, rejected: 0, results: []))
    }

    func ingestMBusFrames(_ input: API.Operations.IngestMBusFrames.Input) async throws -> API.Operations.IngestMBusFrames.Output {
        .ok(.init(accepted: 0, decoded: 0, duplicates: 0, pending: 0, rejected: 0, results: []))
    }

    func listPendingTelegrams(_ input: API.Operations.ListPendingTelegrams.Input) async throws -> API.Operations.ListPendingTelegrams.Output {
        .ok(.init(items: []))
    }

    func listMeterReadings(_ input: API.Operations.ListMeterReadings.Input) async throws -> API.Operations.ListMeterReadings.Output {
        .ok(.init(items: []))
    }

    // MARK: consumption, billing readings and reports

    func getConsumption(_ input: API.Operations.GetConsumption.Input) async throws -> API.Operations.GetConsumption.Output {
        .ok(.init(meteringPointId: input.path.meteringPointId, register: .heatEnergyKWh, unit: "kWh", resolution: .hour,
                  timeZone: "UTC", from: input.query.from, to: input.query.to, total: nil, buckets: [], annotations: []))
    }

    func getConsumptionReport(_ input: API.Operations.GetConsumptionReport.Input) async throws
        -> API.Operations.GetConsumptionReport.Output {
        .ok(Array("start,end\r\n".utf8), contentType: .textCsv)
    }

    func getBillingReading(_ input: API.Operations.GetBillingReading.Input) async throws -> API.Operations.GetBillingReading.Output {
        .ok(.init(meteringPointId: input.path.meteringPointId, register: .heatEnergyKWh, unit: "kWh", at: input.query.at,
                  value: nil, quality: .missing, readingTime: nil, meterId: nil))
    }

    func listBillingReadings(_ input: API.Operations.ListBillingReadings.Input) async throws
        -> API.Operations.ListBillingReadings.Output {
        .ok(.init(items: []))
    }

    func getComparison(_ input: API.Operations.GetComparison.Input) async throws -> API.Operations.GetComparison.Output {
        .ok(.init(from: input.query.from, to: input.query.to, resolution: .hour, aggregate: .mean, timeZone: "UTC", series: []))
    }

    // MARK: metering points, customers and exchanges

    func listMeteringPoints(_ input: API.Operations.ListMeteringPoints.Input) async throws -> API.Operations.ListMeteringPoints.Output {
        .ok(.init(items: []))
    }

    func createMeteringPoint(_ input: API.Operations.CreateMeteringPoint.Input) async throws -> API.Operations.CreateMeteringPoint.Output {
        .default(statusCode: 501, Self.notImplemented)
    }

    func getMeteringPoint(_ input: API.Operations.GetMeteringPoint.Input) async throws -> API.Operations.GetMeteringPoint.Output {
        .default(statusCode: 501, Self.notImplemented)
    }

    func updateMeteringPoint(_ input: API.Operations.UpdateMeteringPoint.Input) async throws -> API.Operations.UpdateMeteringPoint.Output {
        .default(statusCode: 501, Self.notImplemented)
    }

    func deleteMeteringPoint(_ input: API.Operations.DeleteMeteringPoint.Input) async throws -> API.Operations.DeleteMeteringPoint.Output {
        .noContent
    }

    func listMeterExchanges(_ input: API.Operations.ListMeterExchanges.Input) async throws -> API.Operations.ListMeterExchanges.Output {
        .ok(.init(items: []))
    }

    func createMeterExchange(_ input: API.Operations.CreateMeterExchange.Input) async throws -> API.Operations.CreateMeterExchange.Output {
        .default(statusCode: 501, Self.notImplemented)
    }

    func getMeterExchange(_ input: API.Operations.GetMeterExchange.Input) async throws -> API.Operations.GetMeterExchange.Output {
        .default(statusCode: 501, Self.notImplemented)
    }


    // MARK: groups, priority meters and the map
    func listGroups(_ input: API.Operations.ListGroups.Input) async throws -> API.Operations.ListGroups.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func createGroup(_ input: API.Operations.CreateGroup.Input) async throws -> API.Operations.CreateGroup.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func getGroup(_ input: API.Operations.GetGroup.Input) async throws -> API.Operations.GetGroup.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func updateGroup(_ input: API.Operations.UpdateGroup.Input) async throws -> API.Operations.UpdateGroup.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func deleteGroup(_ input: API.Operations.DeleteGroup.Input) async throws -> API.Operations.DeleteGroup.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func addGroupMembers(_ input: API.Operations.AddGroupMembers.Input) async throws -> API.Operations.AddGroupMembers.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func removeGroupMembers(_ input: API.Operations.RemoveGroupMembers.Input) async throws -> API.Operations.RemoveGroupMembers.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func listPriorityMeters(_ input: API.Operations.ListPriorityMeters.Input) async throws -> API.Operations.ListPriorityMeters.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func setPriorityMeter(_ input: API.Operations.SetPriorityMeter.Input) async throws -> API.Operations.SetPriorityMeter.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func unsetPriorityMeter(_ input: API.Operations.UnsetPriorityMeter.Input) async throws -> API.Operations.UnsetPriorityMeter.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func getMap(_ input: API.Operations.GetMap.Input) async throws -> API.Operations.GetMap.Output {
        .default(statusCode: 501, Self.notImplemented)
    }

    // MARK: customers
    func listCustomers(_ input: API.Operations.ListCustomers.Input) async throws -> API.Operations.ListCustomers.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func createCustomer(_ input: API.Operations.CreateCustomer.Input) async throws -> API.Operations.CreateCustomer.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func importCustomers(_ input: API.Operations.ImportCustomers.Input) async throws -> API.Operations.ImportCustomers.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func getCustomer(_ input: API.Operations.GetCustomer.Input) async throws -> API.Operations.GetCustomer.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func updateCustomer(_ input: API.Operations.UpdateCustomer.Input) async throws -> API.Operations.UpdateCustomer.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func deleteCustomer(_ input: API.Operations.DeleteCustomer.Input) async throws -> API.Operations.DeleteCustomer.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func exportCustomer(_ input: API.Operations.ExportCustomer.Input) async throws -> API.Operations.ExportCustomer.Output {
        .default(statusCode: 501, Self.notImplemented)
    }

    // MARK: the event feed

    func listEvents(_ input: API.Operations.ListEvents.Input) async throws -> API.Operations.ListEvents.Output {
        .ok(.init(items: [], nextCursor: input.query.after ?? "c0"))
    }

    func streamEvents(_ input: API.Operations.StreamEvents.Input) async throws -> API.Operations.StreamEvents.Output {
        .ok(EmptyStream())
    }

    // MARK: info codes

    func listInfoCodeTypes(_ input: API.Operations.ListInfoCodeTypes.Input) async throws -> API.Operations.ListInfoCodeTypes.Output {
        .ok(.init(items: []))
    }

    func listInfoCodes(_ input: API.Operations.ListInfoCodes.Input) async throws -> API.Operations.ListInfoCodes.Output {
        .ok(.init(items: []))
    }

    func exportInfoCodes(_ input: API.Operations.ExportInfoCodes.Input) async throws -> API.Operations.ExportInfoCodes.Output {
        .ok(Array("readingTime\r\n".utf8))
    }

    func listMeterInfoCodes(_ input: API.Operations.ListMeterInfoCodes.Input) async throws
        -> API.Operations.ListMeterInfoCodes.Output {
        .ok(.init(items: []))
    }


    // MARK: consumption alerts and webhooks

    func listConsumptionAlerts(_ input: API.Operations.ListConsumptionAlerts.Input) async throws -> API.Operations.ListConsumptionAlerts.Output {
        .ok(.init(items: []))
    }

    func createConsumptionAlert(_ input: API.Operations.CreateConsumptionAlert.Input) async throws -> API.Operations.CreateConsumptionAlert.Output {
        .default(statusCode: 501, Self.notImplemented)
    }

    func getConsumptionAlert(_ input: API.Operations.GetConsumptionAlert.Input) async throws -> API.Operations.GetConsumptionAlert.Output {
        .default(statusCode: 501, Self.notImplemented)
    }

    func replaceConsumptionAlert(_ input: API.Operations.ReplaceConsumptionAlert.Input) async throws -> API.Operations.ReplaceConsumptionAlert.Output {
        .default(statusCode: 501, Self.notImplemented)
    }

    func deleteConsumptionAlert(_ input: API.Operations.DeleteConsumptionAlert.Input) async throws -> API.Operations.DeleteConsumptionAlert.Output {
        .default(statusCode: 501, Self.notImplemented)
    }

    func listConsumptionAlertMeters(_ input: API.Operations.ListConsumptionAlertMeters.Input) async throws -> API.Operations.ListConsumptionAlertMeters.Output {
        .ok(.init(items: []))
    }

    func resetConsumptionAlert(_ input: API.Operations.ResetConsumptionAlert.Input) async throws -> API.Operations.ResetConsumptionAlert.Output {
        .default(statusCode: 501, Self.notImplemented)
    }

    func listWebhooks(_ input: API.Operations.ListWebhooks.Input) async throws -> API.Operations.ListWebhooks.Output {
        .ok(.init(items: []))
    }

    func createWebhook(_ input: API.Operations.CreateWebhook.Input) async throws -> API.Operations.CreateWebhook.Output {
        .default(statusCode: 501, Self.notImplemented)
    }

    func getWebhook(_ input: API.Operations.GetWebhook.Input) async throws -> API.Operations.GetWebhook.Output {
        .default(statusCode: 501, Self.notImplemented)
    }

    func updateWebhook(_ input: API.Operations.UpdateWebhook.Input) async throws -> API.Operations.UpdateWebhook.Output {
        .default(statusCode: 501, Self.notImplemented)
    }

    func deleteWebhook(_ input: API.Operations.DeleteWebhook.Input) async throws -> API.Operations.DeleteWebhook.Output {
        .default(statusCode: 501, Self.notImplemented)
    }

    func rotateWebhookSecret(_ input: API.Operations.RotateWebhookSecret.Input) async throws -> API.Operations.RotateWebhookSecret.Output {
        .default(statusCode: 501, Self.notImplemented)
    }

    func listWebhookDeliveries(_ input: API.Operations.ListWebhookDeliveries.Input) async throws -> API.Operations.ListWebhookDeliveries.Output {
        .ok(.init(items: []))
    }

    // MARK: notifications

    func getNotificationChannels(_ input: API.Operations.GetNotificationChannels.Input) async throws
        -> API.Operations.GetNotificationChannels.Output {
        .ok(.init())
    }

    func replaceNotificationChannels(_ input: API.Operations.ReplaceNotificationChannels.Input) async throws
        -> API.Operations.ReplaceNotificationChannels.Output {
        .ok(.init())
    }

    func listNotificationRules(_ input: API.Operations.ListNotificationRules.Input) async throws
        -> API.Operations.ListNotificationRules.Output {
        .ok(.init(items: []))
    }

    func createNotificationRule(_ input: API.Operations.CreateNotificationRule.Input) async throws
        -> API.Operations.CreateNotificationRule.Output {
        .created(Self.rule, eTag: "\"1\"", location: "/v1/notification-rules/\(Self.rule.id)")
    }

    func getNotificationRule(_ input: API.Operations.GetNotificationRule.Input) async throws
        -> API.Operations.GetNotificationRule.Output {
        .ok(Self.rule, eTag: "\"1\"")
    }

    func updateNotificationRule(_ input: API.Operations.UpdateNotificationRule.Input) async throws
        -> API.Operations.UpdateNotificationRule.Output {
        .ok(Self.rule, eTag: "\"2\"")
    }

    func deleteNotificationRule(_ input: API.Operations.DeleteNotificationRule.Input) async throws
        -> API.Operations.DeleteNotificationRule.Output {
        .noContent
    }

    func testNotificationRule(_ input: API.Operations.TestNotificationRule.Input) async throws
        -> API.Operations.TestNotificationRule.Output {
        .accepted(.init(deliveryId: input.path.ruleId))
    }

    func listNotificationDeliveries(_ input: API.Operations.ListNotificationDeliveries.Input) async throws
        -> API.Operations.ListNotificationDeliveries.Output {
        .ok(.init(items: []))
    }

    static let rule = API.Components.Schemas.NotificationRule(
        id: UUID(uuidString: "00000000-0000-4000-8000-000000000007")!, recipient: "+4551449281", channel: .sms, active: true,
        group: "all", allInfoCodes: true, infoCodes: [], consumptionAlerts: false, immediately: true, createdAt: startedAt,
        updatedAt: startedAt)
    // MARK: key retrieval

    func importKeyFile(_ input: API.Operations.ImportKeyFile.Input) async throws -> API.Operations.ImportKeyFile.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func getKeySyncSettings(_ input: API.Operations.GetKeySyncSettings.Input) async throws -> API.Operations.GetKeySyncSettings.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func putKeySyncSettings(_ input: API.Operations.PutKeySyncSettings.Input) async throws -> API.Operations.PutKeySyncSettings.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func listKeySyncRuns(_ input: API.Operations.ListKeySyncRuns.Input) async throws -> API.Operations.ListKeySyncRuns.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func startKeySyncRun(_ input: API.Operations.StartKeySyncRun.Input) async throws -> API.Operations.StartKeySyncRun.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
    func getKeySyncRun(_ input: API.Operations.GetKeySyncRun.Input) async throws -> API.Operations.GetKeySyncRun.Output {
        .default(statusCode: 501, Self.notImplemented)
    }
}

/// A body that ends at once.
struct EmptyStream: HTTPBodyStream {
    func next() async -> [UInt8]? { nil }
}

@Suite struct ResponderTests {
    let responder = APIResponder(handler: StubHandler())

    @Test func getInfoEncodesJSON() async throws {
        let response = try await responder.respond(to: HTTPRequest(method: .get, path: "/v1/info"))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(response.route == "/v1/info")
        #expect(response.text == #"{"name":"fjern","version":"0.1.0","build":{"configuration":"debug","compiler":"6.3.1","startedAt":"2023-11-14T22:13:20.000Z"}}"#)
    }

    @Test func servesTheSpecByteForByte() async throws {
        let response = try await responder.respond(to: HTTPRequest(method: .get, path: "/openapi.yaml"))
        #expect(response.headers["Content-Type"] == "application/yaml")
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("openapi.yaml")
        #expect(response.body == Array(try String(contentsOf: file, encoding: .utf8).utf8))
    }

    @Test func responseHeadersFromTheSpec() async throws {
        let response = try await responder.respond(to: HTTPRequest(method: .get, path: "/readyz"))
        #expect(response.status == 503)
        #expect(response.headers["Retry-After"] == "5")
        #expect(response.headers["Content-Type"] == "application/problem+json")
    }

    @Test func notFoundAndMethodNotAllowed() async throws {
        let missing = try await responder.respond(to: HTTPRequest(method: .get, path: "/nope"))
        #expect(missing.status == 404 && missing.route == nil)
        #expect(missing.headers["Content-Type"] == "application/problem+json")
        let wrong = try await responder.respond(to: HTTPRequest(method: .post, path: "/v1/info"))
        #expect(wrong.status == 405)
        #expect(wrong.headers["Allow"] == "GET, HEAD")
    }

    @Test func headUsesGet() async throws {
        let response = try await responder.respond(to: HTTPRequest(method: .head, path: "/healthz"))
        #expect(response.status == 200 && response.route == "/healthz")
    }

    @Test func unknownQueryParameterIs400() async throws {
        let response = try await responder.respond(to: HTTPRequest(method: .get, path: "/v1/info", query: "verbose=1"))
        #expect(response.status == 400)
        #expect(response.text.contains(##"{"pointer":"#/query/verbose","detail":"is not a known query parameter"}"##))
    }

    /// A value each path parameter's schema accepts, so routing is tested past validation.
    static func sampleParameter(_ segment: String) -> String {
        switch segment {
        case "{role}": "user"
        case let name where name.hasSuffix("Id}"): "3f1e3c1e-2b7a-4c55-9c1a-1b2c3d4e5f60"
        default: "1"
        }
    }

    /// Every operation of openapi.yaml is reachable: a concrete path per template, answered
    /// by the stub with something other than 404/405. `Routes.operations` is generated from
    /// the spec and kept in step by the staleness test in OpenAPIGeneratorTests.
    @Test func everyOperationIsRouted() async throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("openapi.yaml")
        let declared = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            .compactMap { line -> String? in
                let text = line.drop { $0 == " " }
                return text.hasPrefix("operationId: ") ? String(text.dropFirst("operationId: ".count)) : nil
            }
        #expect(!declared.isEmpty)
        #expect(API.Routes.operations.map(\.id) == declared)
        for operation in API.Routes.operations {
            let path = operation.pathTemplate.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("{") ? Self.sampleParameter(String($0)) : String($0) }.joined(separator: "/")
            let response = try await responder.respond(to: HTTPRequest(method: operation.method, path: path))
            #expect(![404, 405].contains(response.status), "\(operation.id)")
            #expect(response.route == operation.pathTemplate)
        }
    }
}

/// Middleware sees the operation before validation and can refuse it.
final class PermissionMiddleware: APIMiddleware {
    let seen = Mutex<[String]>([])
    func intercept(_ request: HTTPRequest, operation: OperationInfo,
                   next: (HTTPRequest) async throws -> HTTPResponse) async throws -> HTTPResponse {
        seen.withLock { $0.append("\(operation.id):\(operation.permission ?? "-"):\(operation.isPublic)") }
        if !operation.isPublic && request.headers["Authorization"] == nil {
            throw ProblemDetails(status: 401)
        }
        return try await next(request)
    }
}

@Suite struct MiddlewareTests {
    @Test func middlewareRunsBeforeValidationWithOperationInfo() async throws {
        let middleware = PermissionMiddleware()
        let responder = APIResponder(handler: FixtureHandler(), middleware: [middleware])
        await #expect(throws: ProblemDetails(status: 401)) {
            try await responder.respond(to: HTTPRequest(method: .get, path: "/meters", query: "limit=-1"))
        }
        let pong = try await responder.respond(to: HTTPRequest(method: .get, path: "/ping"))
        #expect(pong.text == #"{"pong":true}"#)
        #expect(pong.route == "/ping")
        let authorized = try await responder.respond(to: HTTPRequest(method: .get, path: "/meters", query: "limit=-1",
                                                                     headers: ["Authorization": "Bearer x"]))
        #expect(authorized.status == 400)
        #expect(middleware.seen.withLock { $0 } == ["listMeters:meters.read:false", "ping:-:true", "listMeters:meters.read:false"])
    }

    @Test func maxBodySizeComesFromTheSpec() {
        let responder = APIResponder(handler: FixtureHandler())
        #expect(responder.maxBodySize(method: .post, path: "/imports") == 10_485_760)
        #expect(responder.maxBodySize(method: .post, path: "/meters") == 65536)
        #expect(responder.maxBodySize(method: .get, path: "/meters") == nil)
        #expect(responder.maxBodySize(method: .post, path: "/nowhere") == nil)
    }

    @Test func operationTableListsSpecExtensions() {
        let create = Routes.operations.first { $0.id == "createMeter" }
        #expect(create == OperationInfo(id: "createMeter", method: .post, pathTemplate: "/meters", permission: "meters.write",
                                        isPublic: false, maxBodySize: 65536))
    }
}
