internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Store

extension CustomerHandlers {
    static let maxImportRows = 100_000
    /// The fields a column may fill: those of `CustomerCreate`, all text.
    static let importFields = ["customerNumber", "name", "phone", "email", "address", "postalCode", "city"]

    /// A row is validated exactly like a created customer: `CustomerRowCheck` lets the certainly
    /// valid through, the rest become the JSON a `CustomerCreate` decodes from, for the contract's
    /// verdict and pointers `/customers/{index}/{field}`. The valid rows are
    /// written in one transaction; the others are reported with 1-based data-row numbers.
    func importCSV(_ input: Operations.ImportCustomers.Input) async throws -> Operations.ImportCustomers.Output {
        let c = RequestContext.required
        let records = try CSVColumns.table(input.body, separator: input.query.separator?.rawValue, maxRows: Self.maxImportRows)
        let columns = try CSVColumns.resolve(header: records[0], mapping: input.query.mapping, fields: Self.importFields)
        guard columns.contains(Self.importFields.firstIndex(of: "customerNumber")) else {
            throw CSVColumns.problem("no column fills customerNumber, which matches rows to customers",
                                     pointer: input.query.mapping == nil ? "" : "#/query/mapping")
        }
        var rows: [CustomerImportRow] = []
        rows.reserveCapacity(records.count - 1)
        var rejected: [Components.Schemas.ImportRowResult] = []
        for (index, record) in records.dropFirst().enumerated() {
            if let reason = CSVColumns.overlong(record, columns: columns.count) {
                rejected.append(.init(row: index + 1, status: .rejected, reason: reason, pointer: "/customers/\(index)"))
                continue
            }
            var fields = CustomerFields()
            for (column, cell) in record.prefix(columns.count).enumerated() {
                guard let field = columns[column] else { continue }
                let text = cell.trimmedSpaces()
                if !text.isEmpty { fields.set(Self.importFields[field], text) }
            }
            if CustomerRowCheck.accepts(fields) {
                rows.append(CustomerImportRow(index: index, fields: fields))
                continue
            }
            let base = "/customers/\(index)"
            let members = Self.importFields.compactMap { name in fields[name].map { JSONMember(key: name, value: .string($0)) } }
            var errors: [ProblemDetails.FieldError] = []
            if let customer = Components.Schemas.CustomerCreate(json: .object(members), at: base, errors: &errors) {
                rows.append(CustomerImportRow(index: index, fields: CustomerFields(customer)))
            } else {
                let reason = errors.map { error in
                    error.pointer == base ? error.detail : "\(error.pointer.dropFirst(base.count + 1)): \(error.detail)"
                }.joined(separator: "; ")
                rejected.append(.init(row: index + 1, status: .rejected, reason: reason, pointer: errors.first?.pointer))
            }
        }
        let outcome = try await store.importCustomers(tenant: c.tenant, rows: rows, rejected: rejected.count,
                                                      audit: c.audit("customers.imported"))
        return .ok(.init(created: outcome.created, updated: outcome.updated, rejected: rejected.count, rows: rejected))
    }
}
