internal import CSQLite

/// One prepared SQL statement.
///
/// Conventions follow SQLite's C API on purpose, so the docs apply unchanged: **parameter indices
/// start at 1, column indices at 0.** A statement belongs to its connection's thread.
public final class Statement {
    let handle: OpaquePointer
    let db: OpaquePointer
    public let sql: String
    /// Set while a `query` closure iterates, so the cache hands out a fresh statement to a nested
    /// query with the same SQL instead of resetting the running one underneath it.
    var isBusy = false

    init(db: OpaquePointer, sql: String, persistent: Bool) throws(SQLiteError) {
        var statement: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let rc = sql.withCString { sqlite3_prepare_v3(db, $0, -1, flags, &statement, nil) }
        guard rc == SQLITE_OK else { throw SQLiteError.last(db, code: rc, sql: sql) }
        guard let statement else {
            // Only whitespace or comments: SQLite returns OK with no statement.
            throw SQLiteError(.misuse, message: "no SQL statement to prepare", sql: sql)
        }
        self.handle = statement
        self.db = db
        self.sql = sql
    }

    // Finalizing after the connection closed is fine: connections close with sqlite3_close_v2,
    // which waits (as a zombie) for the last statement.
    deinit { sqlite3_finalize(handle) }

    /// Runs one step. Returns true when a row is available, false when the statement is done.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc: throw SQLiteError.last(db, code: rc, sql: sql)
        }
    }

    /// Rewinds to run again; bindings are kept.
    public func reset() {
        // The return value repeats the last step's error, which step() already threw.
        sqlite3_reset(handle)
    }

    /// Sets every parameter back to NULL.
    public func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    /// Runs to completion (rows are discarded) and returns the number of rows changed.
    /// An empty `bindings` keeps the values bound before (by index or by name).
    @discardableResult
    public func execute(_ bindings: [(any Bindable)?] = []) throws -> Int {
        reset()
        if !bindings.isEmpty { try bind(bindings) }
        defer { reset() }
        while try step() {}
        return Int(sqlite3_changes64(db))
    }

    /// Runs with `bindings` and calls `body` for each row. The `Row` is only valid inside `body`.
    /// An empty `bindings` keeps the values bound before.
    public func query(_ bindings: [(any Bindable)?] = [], _ body: (Row) throws -> Void) throws {
        reset()
        if !bindings.isEmpty { try bind(bindings) }
        isBusy = true
        defer { isBusy = false; reset() }
        let row = Row(statement: self)
        while try step() { try body(row) }
    }

    /// Number of result columns.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// Name of result column `index` (0-based).
    public func columnName(_ index: Int) -> String {
        String(cString: sqlite3_column_name(handle, CInt(index)))
    }

    /// Number of `?`/`:name` parameters.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// True for statements that do not write (SELECT, most PRAGMAs, BEGIN/COMMIT).
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }
}

@available(*, unavailable, message: "a statement belongs to its connection's thread")
extension Statement: Sendable {}

/// The current row of a running statement, a cursor rather than a copy: read it inside the
/// `query` closure and never keep it.
public struct Row {
    public let statement: Statement

    public var count: Int { statement.columnCount }
    public func isNull(_ index: Int) -> Bool { statement.isNull(index) }
    public func int(_ index: Int) -> Int { statement.int(index) }
    public func int64(_ index: Int) -> Int64 { statement.int64(index) }
    public func double(_ index: Int) -> Double { statement.double(index) }
    public func string(_ index: Int) -> String { statement.string(index) }
    public func blob(_ index: Int) -> [UInt8] { statement.blob(index) }
    public func bool(_ index: Int) -> Bool { statement.bool(index) }

    /// Typed access: `let id: Int64 = row[0]`; NULL follows SQLite (0, "", empty).
    public subscript<T: ColumnValue>(_ index: Int) -> T { T.read(statement, at: index) }

    /// Optional access: `let name: String? = row[1]` is nil for NULL.
    public subscript<T: ColumnValue>(_ index: Int) -> T? {
        statement.isNull(index) ? nil : T.read(statement, at: index)
    }
}

@available(*, unavailable)
extension Row: Sendable {}
