internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Store

/// A row of either import format before validation.
enum ImportEntry {
    case json(JSONValue)
    /// Refused before validation (a CSV record with too many fields).
    case rejected(reason: String, pointer: String)
}

extension MeterHandlers {
    static let maxImportRows = 100_000

    func importJSON(_ input: Operations.ImportMeters.Input) async throws -> Operations.ImportMeters.Output {
        .ok(try await runImport(input.body.meters.map(ImportEntry.json)))
    }

    func importCSV(_ input: Operations.ImportMetersCSV.Input) async throws -> Operations.ImportMetersCSV.Output {
        let records = try CSVColumns.table(input.body, separator: input.query.separator?.rawValue, maxRows: Self.maxImportRows)
        let columns = try MeterCSV.columns(header: records[0], mapping: input.query.mapping)
        return .ok(try await runImport(records.dropFirst().map { MeterCSV.meter($0, columns: columns) }))
    }

    /// Validates every row against the contract, writes the valid ones in one transaction and
    /// reports the rest with 1-based row numbers and pointers.
    func runImport(_ entries: [ImportEntry]) async throws -> Components.Schemas.MeterImportResult {
        let c = RequestContext.required
        var rows: [MeterImportRow] = []
        rows.reserveCapacity(entries.count)
        var rejected: [Components.Schemas.ImportRowResult] = []
        for (index, entry) in entries.enumerated() {
            let base = "/meters/\(index)"
            switch entry {
            case .rejected(let reason, let pointer):
                rejected.append(.init(row: index + 1, status: .rejected, reason: reason, pointer: base + pointer))
            case .json(let value):
                var errors: [ProblemDetails.FieldError] = []
                if let meter = Components.Schemas.MeterCreate(json: value, at: base, errors: &errors) {
                    rows.append(MeterImportRow(index: index, fields: MeterFields(meter)))
                } else {
                    let reason = errors.map { error in
                        error.pointer == base ? error.detail : "\(error.pointer.dropFirst(base.count + 1)): \(error.detail)"
                    }.joined(separator: "; ")
                    rejected.append(.init(row: index + 1, status: .rejected, reason: reason, pointer: errors.first?.pointer))
                }
            }
        }
        let outcome = try await store.importMeters(tenant: c.tenant, rows: rows, rejectedBefore: rejected.count, sealer: vault,
                                                   audit: c.audit("meters.imported"))
        if outcome.created + outcome.updated > 0 { changes.metersChanged(tenant: c.tenant) }
        if !outcome.rejected.isEmpty {
            for (index, reason) in outcome.rejected {
                rejected.append(.init(row: index + 1, status: .rejected, reason: reason, pointer: "/meters/\(index)/meteringPoint"))
            }
            rejected.sort { $0.row < $1.row }
        }
        return .init(created: outcome.created, updated: outcome.updated, rejected: rejected.count, rows: rejected)
    }
}
