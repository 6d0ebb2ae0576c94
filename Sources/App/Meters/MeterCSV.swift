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

    static func fieldIndex(_ name: some StringProtocol) -> Int? {
        let lower = name.lowercased()
        return fields.firstIndex { $0.name.lowercased() == lower }
    }

    static func separatorByte(_ name: String?) -> UInt8 {
        switch name {
        case ",": UInt8(ascii: ",")
        case "tab": 9
        case "|": UInt8(ascii: "|")
        default: UInt8(ascii: ";")
        }
    }

    /// Which field each column fills (nil: ignored). Without a mapping every non-empty header must
    /// name a field; with one, only the mapped headers are read and each must exist.
    static func columns(header: [String], mapping: String?) throws(ProblemDetails) -> [Int?] {
        let headers = header.map { $0.trimmedSpaces().lowercased() }
        var columns = [Int?](repeating: nil, count: headers.count)
        if let mapping {
            for pair in mapping.split(separator: ",", omittingEmptySubsequences: true) {
                guard let colon = pair.firstIndex(of: ":"), let field = fieldIndex(pair[..<colon].trimmingPrefix(" ")) else {
                    throw problem("'\(pair)' is not field:Column header with a known field", pointer: "#/query/mapping")
                }
                let wanted = String(pair[pair.index(after: colon)...]).trimmedSpaces().lowercased()
                guard let column = headers.firstIndex(of: wanted) else {
                    throw problem("the header has no column '\(wanted)'", pointer: "#/query/mapping")
                }
                columns[column] = field
            }
        } else {
            for (column, name) in headers.enumerated() where !name.isEmpty {
                guard let field = fieldIndex(name) else {
                    throw problem("the header names no field '\(header[column])'; use field names or a mapping", pointer: "")
                }
                columns[column] = field
            }
        }
        var seen = Set<Int>()
        for case let field? in columns where !seen.insert(field).inserted {
            throw problem("two columns fill '\(fields[field].name)'", pointer: mapping == nil ? "" : "#/query/mapping")
        }
        return columns
    }

    static func problem(_ detail: String, pointer: String) -> ProblemDetails {
        ProblemDetails(status: 422, detail: "The CSV cannot be read: \(detail).", errors: [.init(pointer: pointer, detail: detail)])
    }

    /// One data record as a meter object; empty cells are absent fields.
    static func meter(_ record: [String], columns: [Int?]) -> ImportEntry {
        // Trailing empty cells (a separator at the end of the line) are harmless.
        guard record.count <= columns.count || record[columns.count...].allSatisfy(\.isEmpty) else {
            return .rejected(reason: "has \(record.count) fields, the header \(columns.count)", pointer: "")
        }
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
