public import FoundationEssentials
internal import CSQLite

// Column readers (0-based). They follow SQLite's type conversions: a NULL reads as 0, 0.0,
// "" or an empty array; use `isNull` or the optional `Row` subscript to tell NULL apart.
extension Statement {
    public func isNull(_ index: Int) -> Bool {
        sqlite3_column_type(handle, CInt(index)) == SQLITE_NULL
    }

    public func int64(_ index: Int) -> Int64 {
        sqlite3_column_int64(handle, CInt(index))
    }

    public func int(_ index: Int) -> Int {
        Int(sqlite3_column_int64(handle, CInt(index)))
    }

    public func double(_ index: Int) -> Double {
        sqlite3_column_double(handle, CInt(index))
    }

    public func bool(_ index: Int) -> Bool {
        sqlite3_column_int64(handle, CInt(index)) != 0
    }

    /// Reads an INTEGER of unix milliseconds (see `bind(_: Date, at:)`).
    public func date(_ index: Int) -> Date {
        Date(timeIntervalSince1970: Double(int64(index)) / 1000)
    }

    /// Decodes the UTF-8 bytes by length, so embedded NULs survive; invalid UTF-8 is repaired
    /// with U+FFFD rather than trapping.
    public func string(_ index: Int) -> String {
        // text() before bytes(): the order SQLite documents for a stable length.
        guard let text = sqlite3_column_text(handle, CInt(index)) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, CInt(index)))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    public func blob(_ index: Int) -> [UInt8] {
        guard let bytes = sqlite3_column_blob(handle, CInt(index)) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, CInt(index)))
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }
}

/// A type readable from a result column; used by `Row`'s generic subscripts.
public protocol ColumnValue {
    static func read(_ statement: Statement, at index: Int) -> Self
}

extension Int: ColumnValue {
    public static func read(_ statement: Statement, at index: Int) -> Int { statement.int(index) }
}
extension Int64: ColumnValue {
    public static func read(_ statement: Statement, at index: Int) -> Int64 { statement.int64(index) }
}
extension Double: ColumnValue {
    public static func read(_ statement: Statement, at index: Int) -> Double { statement.double(index) }
}
extension Bool: ColumnValue {
    public static func read(_ statement: Statement, at index: Int) -> Bool { statement.bool(index) }
}
extension String: ColumnValue {
    public static func read(_ statement: Statement, at index: Int) -> String { statement.string(index) }
}
extension Array: ColumnValue where Element == UInt8 {
    public static func read(_ statement: Statement, at index: Int) -> [UInt8] { statement.blob(index) }
}
extension Date: ColumnValue {
    public static func read(_ statement: Statement, at index: Int) -> Date { statement.date(index) }
}
