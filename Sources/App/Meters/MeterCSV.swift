internal import API
internal import HTTPServer

/// CSV rows → the JSON a `MeterCreate` decodes from, so both import formats share the
/// contract's validation and its error pointers (`/meters/{index}/{field}`).
enum MeterCSV {
    enum Kind { case text, integer, number, paths }

    /// Every field a column may fill; the metering point's are flattened.
    static let fields: [(name: String, kind: Kind, inPoint: Bool)] = [
        ("manufacturer", .text, false), ("serial", .text, false), ("version", .integer, false),
        ("deviceType", .integer, false), ("model", .text, false), ("medium", .text, false), ("paths", .paths, false),
        ("primaryAddress", .integer, false), ("secondaryAddress", .text, false), ("lifecycle", .text, false),
        ("label", .text, false), ("key", .text, false),
        ("address", .text, true), ("postalCode", .text, true), ("city", .text, true), ("latitude", .number, true),
        ("longitude", .number, true), ("customerNumber", .text, true),
    ]

    /// Which field each column fills (nil: ignored); see `CSVColumns.resolve`.
    static func columns(header: [String], mapping: String?) throws(ProblemDetails) -> [Int?] {
        try CSVColumns.resolve(header: header, mapping: mapping, fields: fields.map(\.name))
    }

    /// One data record as a meter object; empty cells are absent fields.
    static func meter(_ record: [String], columns: [Int?]) -> ImportEntry {
        if let reason = CSVColumns.overlong(record, columns: columns.count) { return .rejected(reason: reason, pointer: "") }
        var members: [JSONMember] = []
        var point: [JSONMember] = []
        for (column, cell) in record.prefix(columns.count).enumerated() {
            guard let index = columns[column] else { continue }
            let text = cell.trimmedSpaces()
            if text.isEmpty { continue }
            let field = fields[index]
            let value: JSONValue
            switch field.kind {
            case .text: value = .string(text)
            case .integer: value = Int(text).map(JSONValue.int) ?? .string(text)
            case .number:
                // Decimal commas are common where `;` separates.
                value = Double(text.replacing(",", with: ".")).map(JSONValue.double) ?? .string(text)
            case .paths:
                value = .array(text.split { $0 == " " || $0 == "|" || $0 == "," || $0 == ";" || $0 == "+" }.map { .string(String($0)) })
            }
            if field.inPoint { point.append(JSONMember(key: field.name, value: value)) } else { members.append(JSONMember(key: field.name, value: value)) }
        }
        if !point.isEmpty { members.append(JSONMember(key: "meteringPoint", value: .object(point))) }
        return .json(.object(members))
    }
}
