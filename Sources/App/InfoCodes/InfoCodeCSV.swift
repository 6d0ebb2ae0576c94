internal import API
internal import FoundationEssentials
internal import MBus
internal import Store

/// The info-code export as RFC 4180 CSV with the caller's columns: a header row, one row per
/// occurrence, CRLF line ends, fields quoted only when they must be.
struct InfoCodeCSV {
    enum Column: String, CaseIterable {
        case readingTime, address, serialNumber, manufacturer, meterId, infoCode, code, severity, rawBits, bits
        case firstSeen, lastSeen, active, clearedAt, historical, historicalDays
    }

    static let defaultColumns: [Column] = [.readingTime, .address, .serialNumber, .infoCode, .historical]

    let columns: [Column]
    let separator: UInt8
    private(set) var bytes: [UInt8] = []

    /// `columns` as the query gives them; an unknown or repeated name is 400 naming it.
    static func columns(_ parameter: String?) throws -> [Column] {
        guard let parameter else { return defaultColumns }
        var out: [Column] = []
        for name in parameter.split(separator: ",", omittingEmptySubsequences: false) {
            guard let column = Column(rawValue: String(name)) else {
                throw ConsumptionRequest.invalid("columns", "'\(name)' is not a column; columns: "
                    + Column.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard !out.contains(column) else { throw ConsumptionRequest.invalid("columns", "'\(name)' is named twice") }
            out.append(column)
        }
        return out
    }

    static func separator(_ parameter: Operations.ExportInfoCodes.Input.Query.Separator?) -> UInt8 {
        switch parameter {
        case nil, .value?: UInt8(ascii: ",")
        case .value_?: UInt8(ascii: ";")
        case .tab?: 0x09
        case .value__?: UInt8(ascii: "|")
        }
    }

    init(columns: [Column], separator: UInt8) {
        self.columns = columns
        self.separator = separator
        bytes.reserveCapacity(4096)
        line(columns.map(\.rawValue))
    }

    mutating func append(_ row: InfoCodeRow) {
        let r = row.record
        line(columns.map { column -> String in
            switch column {
            case .readingTime: Self.time(r.raisedAt)
            case .address: r.address ?? ""
            case .serialNumber: r.serial
            case .manufacturer: r.manufacturer
            case .meterId: r.meterID.uuidString.lowercased()
            case .infoCode: row.title
            case .code: r.code
            case .severity: row.severity.rawValue
            case .rawBits: r.rawBits.map { String($0) } ?? ""
            case .bits: row.bitPositions.map(String.init).joined(separator: " ")
            case .firstSeen: Self.time(r.raisedAt)
            case .lastSeen: Self.time(r.lastSeen)
            case .active: r.clearedAt == nil ? "true" : "false"
            case .clearedAt: r.clearedAt.map(Self.time) ?? ""
            case .historical: row.historical ?? ""
            case .historicalDays: String(row.historicalDays)
            }
        })
    }

    private mutating func line(_ fields: [String]) {
        for (i, text) in fields.enumerated() {
            if i > 0 { bytes.append(separator) }
            let sep = separator
            if text.utf8.contains(where: { $0 == sep || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
                bytes.append(UInt8(ascii: "\""))
                for byte in text.utf8 {
                    if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                    bytes.append(byte)
                }
                bytes.append(UInt8(ascii: "\""))
            } else {
                bytes.append(contentsOf: text.utf8)
            }
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
    }

    private static func time(_ seconds: Int64) -> String { RFC3339.formatDateTime(InfoCodeRow.date(seconds)) }
}
