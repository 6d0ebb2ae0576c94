internal import API
internal import Crypto
internal import FoundationEssentials
internal import HTTPServer
internal import Store

extension MeterHandlers {
    func setKey(_ input: Operations.SetMeterKey.Input) async throws -> Operations.SetMeterKey.Output {
        let c = RequestContext.required
        let id = input.path.meterId
        // The contract's pattern has checked 32 hex digits.
        let key = try Hex.decode(input.body.key)
        try await store.setMeterKey(tenant: c.tenant, id: id, key: key, sealer: vault,
                                    audit: c.audit("meter.key-set", target: Self.location(id)))
        changes.metersChanged(tenant: c.tenant)
        return .noContent
    }

    func deleteKey(_ input: Operations.DeleteMeterKey.Input) async throws -> Operations.DeleteMeterKey.Output {
        let c = RequestContext.required
        let id = input.path.meterId
        try await store.deleteMeterKey(tenant: c.tenant, id: id, audit: c.audit("meter.key-deleted", target: Self.location(id)))
        changes.metersChanged(tenant: c.tenant)
        return .noContent
    }

    func keyStatus(_ input: Operations.GetMeterKeyStatus.Input) async throws -> Operations.GetMeterKeyStatus.Output {
        let status = try await store.meterKeyStatus(tenant: RequestContext.required.tenant, id: input.path.meterId)
        return .ok(.init(present: status != nil, source: status?.source, updatedAt: status?.updatedAt))
    }

    /// Keys in clear, only to the field-device token itself (AuthMiddleware has required its key
    /// access through `read-keys`). Another token's id is 404, as if it did not exist.
    func fieldDeviceKeys(_ input: Operations.ListFieldDeviceKeys.Input) async throws -> Operations.ListFieldDeviceKeys.Output {
        let c = RequestContext.required
        guard c.credential.token.id == input.path.tokenId, c.credential.token.role == "field-device" else {
            throw StoreError.notFound("field device")
        }
        let page = try await store.sealedMeterKeys(tenant: c.tenant, limit: input.query.limit ?? 1000, cursor: input.query.cursor,
                                                   audit: c.audit("keys.read", target: "/v1/field-devices/\(input.path.tokenId.uuidString.lowercased())/keys"))
        var keys: [Components.Schemas.FieldDeviceKey] = []
        keys.reserveCapacity(page.items.count)
        for item in page.items {
            let key = try vault.unseal(item.sealed, meter: item.rowID)
            keys.append(.init(meterId: item.meterID, manufacturer: item.manufacturer, serial: item.serial, version: item.version,
                              deviceType: item.deviceType, key: Hex.encode(key, uppercase: true)))
        }
        return .ok(.init(keys: keys, nextCursor: page.nextCursor))
    }
}
