internal import API
internal import Crypto
internal import FoundationEssentials
internal import HTTPServer
internal import Store

/// Telegram and frame ingest, pending telegrams and readings.
struct IngestHandlers: Sendable {
    let store: Store
    let service: IngestService

    func ingestTelegrams(_ input: Operations.IngestTelegrams.Input) async throws -> Operations.IngestTelegrams.Output {
        let items = input.body.telegrams.map { IngestService.Item(hex: $0.hex, receivedAt: $0.receivedAt, rssi: $0.rssi) }
        return .ok(try await ingest(items, wired: false))
    }

    func ingestFrames(_ input: Operations.IngestMBusFrames.Input) async throws -> Operations.IngestMBusFrames.Output {
        let items = input.body.frames.map { IngestService.Item(hex: $0.hex, receivedAt: $0.receivedAt, rssi: nil) }
        return .ok(try await ingest(items, wired: true))
    }

    private func ingest(_ items: [IngestService.Item], wired: Bool) async throws -> Components.Schemas.IngestResult {
        let c = RequestContext.required
        let unit = try await service.unit(for: c.credential.token.id)
        return try await service.ingest(items, wired: wired, unit: unit, viewer: c.tenant)
    }

    func pending(_ input: Operations.ListPendingTelegrams.Input) async throws -> Operations.ListPendingTelegrams.Output {
        let c = RequestContext.required
        let limit = pageLimit(input.query.limit)
        let after = try Store.rowID(fromCursor: input.query.cursor)
        let rows = try await store.pendingTelegrams(tenant: c.tenant, reason: input.query.reason?.rawValue, after: after,
                                                    limit: limit + 1)
        let items = rows.prefix(limit).map { r in
            let t = r.telegram
            return Components.Schemas.PendingTelegram(
                id: r.id, unitId: r.unitID, manufacturer: t.manufacturer, serial: t.serial, version: t.version,
                deviceType: t.deviceType, receivedAt: Date(timeIntervalSince1970: Double(t.receivedAt)), rssi: t.rssi,
                reason: .init(rawValue: t.reason) ?? .unknownMeter, detail: t.detail, hex: Hex.encode(t.frame, uppercase: true))
        }
        let next = rows.count > limit ? Store.cursor(rows[limit - 1].rowID) : nil
        return .ok(.init(items: Array(items), nextCursor: next))
    }

    func readings(_ input: Operations.ListMeterReadings.Input) async throws -> Operations.ListMeterReadings.Output {
        let c = RequestContext.required
        let meter = try await store.meterRowID(tenant: c.tenant, id: input.path.meterId)
        let limit = input.query.limit ?? 100
        var after: Int64?
        if let cursor = input.query.cursor {
            guard let t = Int64(cursor.dropFirst()) else {
                throw ProblemDetails(status: 400, detail: "The cursor is not one this server gave.",
                                     errors: [.init(pointer: "#/query/cursor", detail: "unknown cursor")])
            }
            after = t
        }
        let seconds = { (d: Date?) in d.map { Int64($0.timeIntervalSince1970.rounded(.up)) } }
        let rows = try await store.readings(meter: meter, from: seconds(input.query.from), to: seconds(input.query.to),
                                            after: after, limit: limit + 1)
        let items = try rows.prefix(limit).map(ReadingJSON.reading)
        let next = rows.count > limit ? "t\(rows[limit - 1].time)" : nil
        return .ok(.init(items: items, nextCursor: next))
    }
}
