internal import API
internal import FoundationEssentials
internal import MBus
internal import Metering
internal import Store

/// The info-code catalogue, the occurrence list (all meters or one), and its CSV export.
struct InfoCodeHandlers: Sendable {
    let store: Store
    /// The export's ceiling: one response holds the whole list.
    static let exportLimit = 100_000

    func types() -> Operations.ListInfoCodeTypes.Output {
        let ordered = InfoCodeMaps.catalogue.enumerated().sorted {
            ($0.element.severity.rank, -$0.offset) > ($1.element.severity.rank, -$1.offset)
        }
        return .ok(.init(items: ordered.map { .init($0.element) }))
    }

    func list(_ input: Operations.ListInfoCodes.Input) async throws -> Operations.ListInfoCodes.Output {
        let q = input.query
        let request = try InfoCodeRequest(active: q.active, group: q.group, code: q.code, meterId: q.meterId, from: q.from,
                                          to: q.to, sort: q.sort, cursor: q.cursor)
        let page = try await self.page(request, limit: pageLimit(q.limit))
        return .ok(.init(items: page.rows.map(\.json), nextCursor: page.next?.text))
    }

    func meterHistory(_ input: Operations.ListMeterInfoCodes.Input) async throws -> Operations.ListMeterInfoCodes.Output {
        let q = input.query
        let request = try InfoCodeRequest(active: q.active, group: nil, code: q.code, meterId: input.path.meterId, from: q.from,
                                          to: q.to, sort: q.sort, cursor: q.cursor)
        let page = try await self.page(request, limit: pageLimit(q.limit))
        return .ok(.init(items: page.rows.map(\.json), nextCursor: page.next?.text))
    }

    func export(_ input: Operations.ExportInfoCodes.Input) async throws -> Operations.ExportInfoCodes.Output {
        let q = input.query
        let columns = try InfoCodeCSV.columns(q.columns)
        var request = try InfoCodeRequest(active: q.active, group: q.group, code: q.code, meterId: q.meterId, from: q.from,
                                          to: q.to, sort: q.sort, cursor: nil)
        var csv = InfoCodeCSV(columns: columns, separator: InfoCodeCSV.separator(q.separator))
        var count = 0
        repeat {
            let page = try await self.page(request, limit: min(1000, Self.exportLimit - count))
            for row in page.rows { csv.append(row) }
            count += page.rows.count
            request.cursor = page.next
        } while request.cursor != nil && count < Self.exportLimit
        return .ok(csv.bytes)
    }

    private func page(_ request: InfoCodeRequest, limit: Int) async throws -> (rows: [InfoCodeRow], next: InfoCodeCursor?) {
        let tenant = try await store.tenant(rowID: RequestContext.required.tenant)
        let zone = InfoCodeRequest.zone(tenant.timeZone)
        let now = Int64(Date().timeIntervalSince1970)
        // Two days beyond the window: the first local day may start up to a day before now - 30 days.
        let since = now - Int64(InfoCodeHistory.windowDays + 2) * 86_400
        let page = try await store.infoCodeOccurrences(tenant: tenant.rowID, filter: request.filter, sort: request.sort,
                                                       severityRanks: InfoCodeRequest.ranks, limit: limit, after: request.cursor,
                                                       historySince: since)
        return (page.items.map { InfoCodeRow($0, now: now, zone: zone) }, page.next)
    }
}
