public import API

/// The server's implementation of the generated `APIProtocol`: each operation delegates to the
/// handler group that owns its resource.
public struct FjernAPI: APIProtocol {
    let operations: OperationsHandlers
    let access: AccessHandlers
    let meters: MeterHandlers
    let units: UnitHandlers
    let ingest: IngestHandlers
    let infoCodes: InfoCodeHandlers
    let consumptionAlerts: ConsumptionAlertHandlers
    let webhooks: WebhookHandlers
    let notifications: NotificationHandlers
    let keySync: KeySyncHandlers
    let meteringPoints: MeteringPointHandlers
    let exchanges: ExchangeHandlers
    let groups: GroupHandlers
    let map: MapHandlers
    let customers: CustomerHandlers
    let events: EventHandlers
    let consumption: ConsumptionHandlers

    public func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        operations.health()
    }

    public func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        operations.ready()
    }

    public func getInfo(_ input: Operations.GetInfo.Input) async throws -> Operations.GetInfo.Output {
        operations.info()
    }

    public func getOpenAPISpec(_ input: Operations.GetOpenAPISpec.Input) async throws -> Operations.GetOpenAPISpec.Output {
        operations.spec()
    }

    // MARK: access

    public func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output { access.me() }

    public func getTenant(_ input: Operations.GetTenant.Input) async throws -> Operations.GetTenant.Output {
        try await access.tenant()
    }

    public func updateTenant(_ input: Operations.UpdateTenant.Input) async throws -> Operations.UpdateTenant.Output {
        try await access.updateTenant(input)
    }

    public func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        try await access.listUsers(input)
    }

    public func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        try await access.createUser(input)
    }

    public func getUser(_ input: Operations.GetUser.Input) async throws -> Operations.GetUser.Output {
        try await access.user(input)
    }

    public func updateUser(_ input: Operations.UpdateUser.Input) async throws -> Operations.UpdateUser.Output {
        try await access.updateUser(input)
    }

    public func deleteUser(_ input: Operations.DeleteUser.Input) async throws -> Operations.DeleteUser.Output {
        try await access.deleteUser(input)
    }

    public func listTokens(_ input: Operations.ListTokens.Input) async throws -> Operations.ListTokens.Output {
        try await access.listTokens(input)
    }

    public func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        try await access.createToken(input)
    }

    public func getToken(_ input: Operations.GetToken.Input) async throws -> Operations.GetToken.Output {
        try await access.token(input)
    }

    public func updateToken(_ input: Operations.UpdateToken.Input) async throws -> Operations.UpdateToken.Output {
        try await access.updateToken(input)
    }

    public func revokeToken(_ input: Operations.RevokeToken.Input) async throws -> Operations.RevokeToken.Output {
        try await access.revokeToken(input)
    }

    public func listRoles(_ input: Operations.ListRoles.Input) async throws -> Operations.ListRoles.Output {
        try await access.listRoles()
    }

    public func getRolePermissions(_ input: Operations.GetRolePermissions.Input) async throws -> Operations.GetRolePermissions.Output {
        try await access.rolePermissions(input)
    }

    public func setRolePermissions(_ input: Operations.SetRolePermissions.Input) async throws -> Operations.SetRolePermissions.Output {
        try await access.setRolePermissions(input)
    }

    public func listAuditEvents(_ input: Operations.ListAuditEvents.Input) async throws -> Operations.ListAuditEvents.Output {
        try await access.auditEvents(input)
    }

    // MARK: meters

    public func listMeters(_ input: Operations.ListMeters.Input) async throws -> Operations.ListMeters.Output {
        try await meters.list(input)
    }

    public func createMeter(_ input: Operations.CreateMeter.Input) async throws -> Operations.CreateMeter.Output {
        try await meters.create(input)
    }

    public func importMeters(_ input: Operations.ImportMeters.Input) async throws -> Operations.ImportMeters.Output {
        try await meters.importJSON(input)
    }

    public func importMetersCSV(_ input: Operations.ImportMetersCSV.Input) async throws -> Operations.ImportMetersCSV.Output {
        try await meters.importCSV(input)
    }

    public func getMeter(_ input: Operations.GetMeter.Input) async throws -> Operations.GetMeter.Output {
        try await meters.meter(input)
    }

    public func updateMeter(_ input: Operations.UpdateMeter.Input) async throws -> Operations.UpdateMeter.Output {
        try await meters.update(input)
    }

    public func deleteMeter(_ input: Operations.DeleteMeter.Input) async throws -> Operations.DeleteMeter.Output {
        try await meters.delete(input)
    }

    public func setMeterKey(_ input: Operations.SetMeterKey.Input) async throws -> Operations.SetMeterKey.Output {
        try await meters.setKey(input)
    }

    public func deleteMeterKey(_ input: Operations.DeleteMeterKey.Input) async throws -> Operations.DeleteMeterKey.Output {
        try await meters.deleteKey(input)
    }

    public func getMeterKeyStatus(_ input: Operations.GetMeterKeyStatus.Input) async throws -> Operations.GetMeterKeyStatus.Output {
        try await meters.keyStatus(input)
    }

    public func listFieldDeviceKeys(_ input: Operations.ListFieldDeviceKeys.Input) async throws -> Operations.ListFieldDeviceKeys.Output {
        try await meters.fieldDeviceKeys(input)
    }


    // MARK: collection units

    public func listCollectionUnits(_ input: Operations.ListCollectionUnits.Input) async throws -> Operations.ListCollectionUnits.Output {
        try await units.list(input)
    }

    public func createCollectionUnit(_ input: Operations.CreateCollectionUnit.Input) async throws -> Operations.CreateCollectionUnit.Output {
        try await units.create(input)
    }

    public func getCollectionUnit(_ input: Operations.GetCollectionUnit.Input) async throws -> Operations.GetCollectionUnit.Output {
        try await units.get(input)
    }

    public func updateCollectionUnit(_ input: Operations.UpdateCollectionUnit.Input) async throws -> Operations.UpdateCollectionUnit.Output {
        try await units.update(input)
    }

    public func deleteCollectionUnit(_ input: Operations.DeleteCollectionUnit.Input) async throws -> Operations.DeleteCollectionUnit.Output {
        try await units.delete(input)
    }

    public func createCollectionUnitToken(_ input: Operations.CreateCollectionUnitToken.Input) async throws
        -> Operations.CreateCollectionUnitToken.Output {
        try await units.createToken(input)
    }

    public func createShareCode(_ input: Operations.CreateShareCode.Input) async throws -> Operations.CreateShareCode.Output {
        try await units.createShareCode(input)
    }

    public func redeemShareCode(_ input: Operations.RedeemShareCode.Input) async throws -> Operations.RedeemShareCode.Output {
        try await units.redeemShareCode(input)
    }

    public func listCollectionUnitShares(_ input: Operations.ListCollectionUnitShares.Input) async throws
        -> Operations.ListCollectionUnitShares.Output {
        try await units.listShares(input)
    }

    public func deleteCollectionUnitShare(_ input: Operations.DeleteCollectionUnitShare.Input) async throws
        -> Operations.DeleteCollectionUnitShare.Output {
        try await units.deleteShare(input)
    }

    public func listHeardMeters(_ input: Operations.ListHeardMeters.Input) async throws -> Operations.ListHeardMeters.Output {
        try await units.heardMeters(input)
    }

    public func listMeterReceptions(_ input: Operations.ListMeterReceptions.Input) async throws -> Operations.ListMeterReceptions.Output {
        try await units.receptions(input)
    }


    // MARK: ingest and readings

    public func ingestTelegrams(_ input: Operations.IngestTelegrams.Input) async throws -> Operations.IngestTelegrams.Output {
        try await ingest.ingestTelegrams(input)
    }

    public func ingestMBusFrames(_ input: Operations.IngestMBusFrames.Input) async throws -> Operations.IngestMBusFrames.Output {
        try await ingest.ingestFrames(input)
    }

    public func listPendingTelegrams(_ input: Operations.ListPendingTelegrams.Input) async throws -> Operations.ListPendingTelegrams.Output {
        try await ingest.pending(input)
    }

    public func listMeterReadings(_ input: Operations.ListMeterReadings.Input) async throws -> Operations.ListMeterReadings.Output {
        try await ingest.readings(input)
    }

    // MARK: metering points, customers and exchanges

    public func listMeteringPoints(_ input: Operations.ListMeteringPoints.Input) async throws -> Operations.ListMeteringPoints.Output {
        try await meteringPoints.list(input)
    }

    public func createMeteringPoint(_ input: Operations.CreateMeteringPoint.Input) async throws -> Operations.CreateMeteringPoint.Output {
        try await meteringPoints.create(input)
    }

    public func getMeteringPoint(_ input: Operations.GetMeteringPoint.Input) async throws -> Operations.GetMeteringPoint.Output {
        try await meteringPoints.get(input)
    }

    public func updateMeteringPoint(_ input: Operations.UpdateMeteringPoint.Input) async throws -> Operations.UpdateMeteringPoint.Output {
        try await meteringPoints.update(input)
    }

    public func deleteMeteringPoint(_ input: Operations.DeleteMeteringPoint.Input) async throws -> Operations.DeleteMeteringPoint.Output {
        try await meteringPoints.delete(input)
    }

    public func listMeterExchanges(_ input: Operations.ListMeterExchanges.Input) async throws -> Operations.ListMeterExchanges.Output {
        try await exchanges.list(input)
    }

    public func createMeterExchange(_ input: Operations.CreateMeterExchange.Input) async throws -> Operations.CreateMeterExchange.Output {
        try await exchanges.create(input)
    }

    public func getMeterExchange(_ input: Operations.GetMeterExchange.Input) async throws -> Operations.GetMeterExchange.Output {
        try await exchanges.get(input)
    }
    // MARK: groups, priority meters and the map

    public func listGroups(_ input: Operations.ListGroups.Input) async throws -> Operations.ListGroups.Output {
        try await groups.list(input)
    }

    public func createGroup(_ input: Operations.CreateGroup.Input) async throws -> Operations.CreateGroup.Output {
        try await groups.create(input)
    }

    public func getGroup(_ input: Operations.GetGroup.Input) async throws -> Operations.GetGroup.Output {
        try await groups.get(input)
    }

    public func updateGroup(_ input: Operations.UpdateGroup.Input) async throws -> Operations.UpdateGroup.Output {
        try await groups.update(input)
    }

    public func deleteGroup(_ input: Operations.DeleteGroup.Input) async throws -> Operations.DeleteGroup.Output {
        try await groups.delete(input)
    }

    public func addGroupMembers(_ input: Operations.AddGroupMembers.Input) async throws -> Operations.AddGroupMembers.Output {
        try await groups.addMembers(input)
    }

    public func removeGroupMembers(_ input: Operations.RemoveGroupMembers.Input) async throws -> Operations.RemoveGroupMembers.Output {
        try await groups.removeMembers(input)
    }

    public func listPriorityMeters(_ input: Operations.ListPriorityMeters.Input) async throws -> Operations.ListPriorityMeters.Output {
        try await groups.priorityMeters(input)
    }

    public func setPriorityMeter(_ input: Operations.SetPriorityMeter.Input) async throws -> Operations.SetPriorityMeter.Output {
        try await groups.setPriority(input)
    }

    public func unsetPriorityMeter(_ input: Operations.UnsetPriorityMeter.Input) async throws -> Operations.UnsetPriorityMeter.Output {
        try await groups.unsetPriority(input)
    }

    public func getMap(_ input: Operations.GetMap.Input) async throws -> Operations.GetMap.Output {
        try await map.map(input)
    }

    // MARK: customers

    public func listCustomers(_ input: Operations.ListCustomers.Input) async throws -> Operations.ListCustomers.Output {
        try await customers.list(input)
    }

    public func createCustomer(_ input: Operations.CreateCustomer.Input) async throws -> Operations.CreateCustomer.Output {
        try await customers.create(input)
    }

    public func importCustomers(_ input: Operations.ImportCustomers.Input) async throws -> Operations.ImportCustomers.Output {
        try await customers.importCSV(input)
    }

    public func getCustomer(_ input: Operations.GetCustomer.Input) async throws -> Operations.GetCustomer.Output {
        try await customers.customer(input)
    }

    public func updateCustomer(_ input: Operations.UpdateCustomer.Input) async throws -> Operations.UpdateCustomer.Output {
        try await customers.update(input)
    }

    public func deleteCustomer(_ input: Operations.DeleteCustomer.Input) async throws -> Operations.DeleteCustomer.Output {
        try await customers.delete(input)
    }

    public func exportCustomer(_ input: Operations.ExportCustomer.Input) async throws -> Operations.ExportCustomer.Output {
        try await customers.export(input)
    }

    // MARK: the event feed

    public func listEvents(_ input: Operations.ListEvents.Input) async throws -> Operations.ListEvents.Output {
        try await events.list(input)
    }

    public func streamEvents(_ input: Operations.StreamEvents.Input) async throws -> Operations.StreamEvents.Output {
        try await events.stream(input)
    }

    // MARK: consumption, billing readings and reports

    public func getConsumption(_ input: Operations.GetConsumption.Input) async throws -> Operations.GetConsumption.Output {
        try await consumption.consumption(input)
    }

    public func getConsumptionReport(_ input: Operations.GetConsumptionReport.Input) async throws
        -> Operations.GetConsumptionReport.Output {
        try await consumption.report(input)
    }

    public func getBillingReading(_ input: Operations.GetBillingReading.Input) async throws -> Operations.GetBillingReading.Output {
        try await consumption.billingReading(input)
    }

    public func listBillingReadings(_ input: Operations.ListBillingReadings.Input) async throws
        -> Operations.ListBillingReadings.Output {
        try await consumption.billingReadings(input)
    }

    public func getComparison(_ input: Operations.GetComparison.Input) async throws -> Operations.GetComparison.Output {
        try await consumption.comparison(input)
    }

    // MARK: info codes

    public func listInfoCodeTypes(_ input: Operations.ListInfoCodeTypes.Input) async throws -> Operations.ListInfoCodeTypes.Output {
        infoCodes.types()
    }

    public func listInfoCodes(_ input: Operations.ListInfoCodes.Input) async throws -> Operations.ListInfoCodes.Output {
        try await infoCodes.list(input)
    }

    public func exportInfoCodes(_ input: Operations.ExportInfoCodes.Input) async throws -> Operations.ExportInfoCodes.Output {
        try await infoCodes.export(input)
    }

    public func listMeterInfoCodes(_ input: Operations.ListMeterInfoCodes.Input) async throws
        -> Operations.ListMeterInfoCodes.Output {
        try await infoCodes.meterHistory(input)
    }

    // MARK: consumption alerts and webhooks

    public func listConsumptionAlerts(_ input: Operations.ListConsumptionAlerts.Input) async throws
        -> Operations.ListConsumptionAlerts.Output {
        try await consumptionAlerts.list(input)
    }

    public func createConsumptionAlert(_ input: Operations.CreateConsumptionAlert.Input) async throws
        -> Operations.CreateConsumptionAlert.Output {
        try await consumptionAlerts.create(input)
    }

    public func getConsumptionAlert(_ input: Operations.GetConsumptionAlert.Input) async throws -> Operations.GetConsumptionAlert.Output {
        try await consumptionAlerts.get(input)
    }

    public func replaceConsumptionAlert(_ input: Operations.ReplaceConsumptionAlert.Input) async throws
        -> Operations.ReplaceConsumptionAlert.Output {
        try await consumptionAlerts.replace(input)
    }

    public func deleteConsumptionAlert(_ input: Operations.DeleteConsumptionAlert.Input) async throws
        -> Operations.DeleteConsumptionAlert.Output {
        try await consumptionAlerts.delete(input)
    }

    public func listConsumptionAlertMeters(_ input: Operations.ListConsumptionAlertMeters.Input) async throws
        -> Operations.ListConsumptionAlertMeters.Output {
        try await consumptionAlerts.meters(input)
    }

    public func resetConsumptionAlert(_ input: Operations.ResetConsumptionAlert.Input) async throws
        -> Operations.ResetConsumptionAlert.Output {
        try await consumptionAlerts.reset(input)
    }

    public func listWebhooks(_ input: Operations.ListWebhooks.Input) async throws -> Operations.ListWebhooks.Output {
        try await webhooks.list(input)
    }

    public func createWebhook(_ input: Operations.CreateWebhook.Input) async throws -> Operations.CreateWebhook.Output {
        try await webhooks.create(input)
    }

    public func getWebhook(_ input: Operations.GetWebhook.Input) async throws -> Operations.GetWebhook.Output {
        try await webhooks.get(input)
    }

    public func updateWebhook(_ input: Operations.UpdateWebhook.Input) async throws -> Operations.UpdateWebhook.Output {
        try await webhooks.update(input)
    }

    public func deleteWebhook(_ input: Operations.DeleteWebhook.Input) async throws -> Operations.DeleteWebhook.Output {
        try await webhooks.delete(input)
    }

    public func rotateWebhookSecret(_ input: Operations.RotateWebhookSecret.Input) async throws
        -> Operations.RotateWebhookSecret.Output {
        try await webhooks.rotateSecret(input)
    }

    public func listWebhookDeliveries(_ input: Operations.ListWebhookDeliveries.Input) async throws
        -> Operations.ListWebhookDeliveries.Output {
        try await webhooks.deliveries(input)
    }

    // MARK: notifications

    public func getNotificationChannels(_ input: Operations.GetNotificationChannels.Input) async throws
        -> Operations.GetNotificationChannels.Output {
        try await notifications.channels.get(input)
    }

    public func replaceNotificationChannels(_ input: Operations.ReplaceNotificationChannels.Input) async throws
        -> Operations.ReplaceNotificationChannels.Output {
        try await notifications.channels.replace(input)
    }

    public func listNotificationRules(_ input: Operations.ListNotificationRules.Input) async throws
        -> Operations.ListNotificationRules.Output {
        try await notifications.list(input)
    }

    public func createNotificationRule(_ input: Operations.CreateNotificationRule.Input) async throws
        -> Operations.CreateNotificationRule.Output {
        try await notifications.create(input)
    }

    public func getNotificationRule(_ input: Operations.GetNotificationRule.Input) async throws -> Operations.GetNotificationRule.Output {
        try await notifications.get(input)
    }

    public func updateNotificationRule(_ input: Operations.UpdateNotificationRule.Input) async throws
        -> Operations.UpdateNotificationRule.Output {
        try await notifications.update(input)
    }

    public func deleteNotificationRule(_ input: Operations.DeleteNotificationRule.Input) async throws
        -> Operations.DeleteNotificationRule.Output {
        try await notifications.delete(input)
    }

    public func testNotificationRule(_ input: Operations.TestNotificationRule.Input) async throws
        -> Operations.TestNotificationRule.Output {
        try await notifications.test(input)
    }

    public func listNotificationDeliveries(_ input: Operations.ListNotificationDeliveries.Input) async throws
        -> Operations.ListNotificationDeliveries.Output {
        try await notifications.deliveries(input)
    }

    // MARK: key retrieval

    public func importKeyFile(_ input: Operations.ImportKeyFile.Input) async throws -> Operations.ImportKeyFile.Output {
        try await keySync.importKeyFile(input)
    }

    public func getKeySyncSettings(_ input: Operations.GetKeySyncSettings.Input) async throws
        -> Operations.GetKeySyncSettings.Output {
        try await keySync.settings(input)
    }

    public func putKeySyncSettings(_ input: Operations.PutKeySyncSettings.Input) async throws
        -> Operations.PutKeySyncSettings.Output {
        try await keySync.putSettings(input)
    }

    public func listKeySyncRuns(_ input: Operations.ListKeySyncRuns.Input) async throws -> Operations.ListKeySyncRuns.Output {
        try await keySync.runs(input)
    }

    public func startKeySyncRun(_ input: Operations.StartKeySyncRun.Input) async throws -> Operations.StartKeySyncRun.Output {
        try await keySync.startRun(input)
    }

    public func getKeySyncRun(_ input: Operations.GetKeySyncRun.Input) async throws -> Operations.GetKeySyncRun.Output {
        try await keySync.run(input)
    }
}
