internal import HTTPServer

/// Which field each CSV column fills, for any import whose fields are a list of names (meters,
/// customers): from the header row alone or from a `field:Column header` mapping.
enum CSVColumns {
    /// nil: the column is ignored. Without a mapping every non-empty header must name a field
    /// (case-insensitively); with one, only the mapped headers are read and each must exist.
    static func resolve(header: [String], mapping: String?, fields: [String]) throws(ProblemDetails) -> [Int?] {
        let lowered = fields.map { $0.lowercased() }
        func fieldIndex(_ name: some StringProtocol) -> Int? { lowered.firstIndex(of: name.lowercased()) }
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
            throw problem("two columns fill '\(fields[field])'", pointer: mapping == nil ? "" : "#/query/mapping")
        }
        return columns
    }

    static func problem(_ detail: String, pointer: String) -> ProblemDetails {
        ProblemDetails(status: 422, detail: "The CSV cannot be read: \(detail).", errors: [.init(pointer: pointer, detail: detail)])
    }

    /// The records of an import's CSV body, header first: 422 when it cannot be read, has no
    /// header row, or holds more than `maxRows` data rows.
    static func table(_ body: [UInt8], separator: String?, maxRows: Int) throws(ProblemDetails) -> [[String]] {
        let records: [[String]]
        do {
            records = try CSVReader.records(body, separator: separatorByte(separator))
        } catch {
            throw problem("line \(error.line) \(error.reason)", pointer: "")
        }
        guard !records.isEmpty else { throw problem("there is no header row", pointer: "") }
        guard records.count - 1 <= maxRows else {
            throw problem("\(records.count - 1) rows is more than \(maxRows)", pointer: "")
        }
        return records
    }

    static func separatorByte(_ name: String?) -> UInt8 {
        switch name {
        case ",": UInt8(ascii: ",")
        case "tab": 9
        case "|": UInt8(ascii: "|")
        default: UInt8(ascii: ";")
        }
    }

    /// A data record too long for the header (trailing empty cells, a separator at the end of the
    /// line, are harmless): the reason to reject it, else nil.
    static func overlong(_ record: [String], columns: Int) -> String? {
        guard record.count > columns, !record[columns...].allSatisfy(\.isEmpty) else { return nil }
        return "has \(record.count) fields, the header \(columns)"
    }
}
