internal import API
internal import FoundationEssentials
internal import FoundationInternationalization
internal import MBus
internal import Metering
internal import Store

/// The info-code list's query, read and checked once for the list, the meter's history and
/// the export: every bad parameter is a 400 naming it.
struct InfoCodeRequest {
    var filter: InfoCodeFilter
    var sort: InfoCodeSort
    var cursor: InfoCodeCursor?

    init(active: Bool?, group: String?, code: String?, meterId: UUID?, from: Date?, to: Date?, sort: String?,
         cursor: String?) throws {
        if let code, InfoCodeMaps.entry(code) == nil {
            throw ConsumptionRequest.invalid("code", "is not an info code (see GET /v1/info-code-types)")
        }
        self.sort = .newestFirst
        if let sort {
            guard let parsed = InfoCodeSort(parameter: sort) else {
                throw ConsumptionRequest.invalid("sort", "names readingTime and severity, each at most once, e.g. -severity,-readingTime")
            }
            self.sort = parsed
        }
        if let cursor {
            guard let parsed = InfoCodeCursor(cursor) else { throw ConsumptionRequest.invalid("cursor", "is not a cursor this list gave") }
            self.cursor = parsed
        }
        let fromSeconds = try from.map { try Self.seconds($0, "from") }
        let toSeconds = try to.map { try Self.seconds($0, "to") }
        filter = InfoCodeFilter(active: active, code: code, meter: meterId, group: try GroupHandlers.selector(query: group),
                                from: fromSeconds, to: toSeconds)
    }

    private static func seconds(_ date: Date, _ parameter: String) throws -> Int64 {
        let t = date.timeIntervalSince1970.rounded(.down)
        guard t.isFinite, abs(t) < 1e15 else { throw ConsumptionRequest.invalid(parameter, "is out of range") }
        return Int64(t)
    }

    /// Severity ranks of the catalogue, for the store's `severity` ordering.
    static let ranks: [String: Int] = Dictionary(uniqueKeysWithValues: InfoCodeMaps.catalogue.map { ($0.code, $0.severity.rank) })

    /// The tenant's zone for the historical days; UTC when the zone is unknown here.
    static func zone(_ name: String) -> TimeZone {
        (TimeZoneName.isValid(name) ? TimeZone(identifier: name) : nil) ?? TimeZone(identifier: "UTC")!
    }
}
