public import API

/// The server's implementation of the generated `APIProtocol`: each operation delegates to the
/// handler group that owns its resource.
public struct FjernAPI: APIProtocol {
    let operations: OperationsHandlers
    let access: AccessHandlers
    let meters: MeterHandlers
    let units: UnitHandlers
    let ingest: IngestHandlers
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
}
