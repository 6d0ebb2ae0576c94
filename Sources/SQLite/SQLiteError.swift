internal import CSQLite

/// A failure reported by SQLite, or a misuse detected by this module.
///
/// `message` and `sql` are for logs only: they can reveal schema and data, so the API layer
/// maps errors by `extendedResultCode` (UNIQUE → 409, ...) and never echoes them to clients.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The extended result code (connections enable extended codes at open).
    public let extendedResultCode: ResultCode
    /// SQLite's message (`sqlite3_errmsg`) or this module's explanation.
    public let message: String
    /// The statement that failed, when there was one.
    public let sql: String?

    public init(_ code: ResultCode, message: String, sql: String? = nil) {
        self.extendedResultCode = code
        self.message = message
        self.sql = sql
    }

    /// Shorthand for `extendedResultCode`: `catch let e as SQLiteError where e.code == .constraintUnique`.
    public var code: ResultCode { extendedResultCode }

    /// Any constraint family failure (UNIQUE, PRIMARY KEY, FOREIGN KEY, NOT NULL, CHECK, ...).
    public var isConstraintViolation: Bool { code.primary == .constraint }

    /// UNIQUE or PRIMARY KEY: the row already exists (the API's 409 Conflict).
    public var isUniqueViolation: Bool { code == .constraintUnique || code == .constraintPrimaryKey }

    public var description: String {
        var text = "SQLite error \(code.rawValue) (\(String(cString: sqlite3_errstr(code.rawValue)))): \(message)"
        if let sql { text += " [SQL: \(sql)]" }
        return text
    }

    /// Reads the connection's last error. Must run on the connection's thread right after the
    /// failing call, before anything else touches the connection.
    static func last(_ db: OpaquePointer?, code: CInt, sql: String? = nil) -> SQLiteError {
        let extended = db.map { sqlite3_extended_errcode($0) } ?? code
        // errcode can lag behind the returned code (e.g. after sqlite3_reset); trust the return.
        let chosen = (extended & 0xFF) == (code & 0xFF) ? extended : code
        let message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        return SQLiteError(ResultCode(rawValue: chosen), message: message, sql: sql)
    }
}

// `catch SQLiteError.constraintUnique` reads naturally at call sites; these forward to ResultCode.
extension SQLiteError {
    public static let constraint = ResultCode.constraint
    public static let constraintUnique = ResultCode.constraintUnique
    public static let constraintPrimaryKey = ResultCode.constraintPrimaryKey
    public static let constraintForeignKey = ResultCode.constraintForeignKey
    public static let constraintNotNull = ResultCode.constraintNotNull
    public static let constraintCheck = ResultCode.constraintCheck
    public static let busy = ResultCode.busy
    public static let interrupt = ResultCode.interrupt
    public static let readOnly = ResultCode.readOnly
    public static let cantOpen = ResultCode.cantOpen
    public static let notADatabase = ResultCode.notADatabase
    public static let corrupt = ResultCode.corrupt
    public static let misuse = ResultCode.misuse
}
