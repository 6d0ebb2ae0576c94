public import FoundationEssentials
internal import CSQLite

/// A value that can be bound to a statement parameter. Lets heterogeneous argument lists be
/// written as literals: `try conn.execute("INSERT INTO t VALUES (?, ?)", [42, "x"])`.
public protocol Bindable {
    func bind(to statement: Statement, at index: Int) throws(SQLiteError)
}

extension Statement {
    // MARK: Typed binding by 1-based index

    public func bind(_ value: Int64, at index: Int) throws(SQLiteError) {
        try check(sqlite3_bind_int64(handle, CInt(index), value))
    }

    public func bind(_ value: Int, at index: Int) throws(SQLiteError) {
        try bind(Int64(value), at: index)
    }

    public func bind(_ value: Double, at index: Int) throws(SQLiteError) {
        try check(sqlite3_bind_double(handle, CInt(index), value))
    }

    /// Stored as INTEGER 0 or 1.
    public func bind(_ value: Bool, at index: Int) throws(SQLiteError) {
        try bind(Int64(value ? 1 : 0), at: index)
    }

    /// Dates are stored as INTEGER **unix milliseconds** (UTC): sortable, compact, exact to the
    /// millisecond, and comparable in SQL with plain integers. Sub-millisecond parts are
    /// truncated toward negative infinity so that ordering is preserved.
    public func bind(_ value: Date, at index: Int) throws(SQLiteError) {
        try bind(Int64((value.timeIntervalSince1970 * 1000).rounded(.down)), at: index)
    }

    /// Binds the string's UTF-8 bytes straight from its storage (`withUTF8`: no C-string copy,
    /// no NUL scan, embedded NULs kept). SQLite copies them once (SQLITE_TRANSIENT) because the
    /// buffer is only valid inside the closure.
    public func bind(_ value: String, at index: Int) throws(SQLiteError) {
        var value = value
        let rc = value.withUTF8 { utf8 -> CInt in
            // An empty buffer may have no base address, and a NULL pointer would bind SQL NULL.
            guard let base = utf8.baseAddress, utf8.count > 0 else {
                return sqlite3_bind_text(handle, CInt(index), "", 0, csqlite_static())
            }
            return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                sqlite3_bind_text64(handle, CInt(index), $0, UInt64(utf8.count), csqlite_transient(), UInt8(SQLITE_UTF8))
            }
        }
        try check(rc)
    }

    /// Binds a BLOB. An empty array binds a zero-length BLOB, not NULL.
    public func bind(_ value: [UInt8], at index: Int) throws(SQLiteError) {
        let rc = value.withUnsafeBytes { bytes -> CInt in
            guard let base = bytes.baseAddress, bytes.count > 0 else {
                return sqlite3_bind_zeroblob(handle, CInt(index), 0)
            }
            return sqlite3_bind_blob64(handle, CInt(index), base, UInt64(bytes.count), csqlite_transient())
        }
        try check(rc)
    }

    public func bindNull(at index: Int) throws(SQLiteError) {
        try check(sqlite3_bind_null(handle, CInt(index)))
    }

    /// Binds any `Bindable`, or NULL for nil.
    public func bind(_ value: (any Bindable)?, at index: Int) throws(SQLiteError) {
        if let value { try value.bind(to: self, at: index) } else { try bindNull(at: index) }
    }

    // MARK: Lists and names

    /// Binds `values` to parameters 1...n; the count must match the statement's parameters.
    public func bind(_ values: [(any Bindable)?]) throws(SQLiteError) {
        guard values.count == parameterCount else {
            throw SQLiteError(.range, message: "expected \(parameterCount) arguments, got \(values.count)", sql: sql)
        }
        for (offset, value) in values.enumerated() { try bind(value, at: offset + 1) }
    }

    /// Binds by parameter name. Keys may carry their prefix (`:id`, `@id`, `$id`) or not
    /// (`id` means `:id`). An unknown name throws rather than silently binding nothing.
    public func bind(_ values: [String: (any Bindable)?]) throws(SQLiteError) {
        for (name, value) in values { try bind(value, named: name) }
    }

    public func bind(_ value: (any Bindable)?, named name: String) throws(SQLiteError) {
        try bind(value, at: try parameterIndex(name))
    }

    /// The 1-based index of a named parameter.
    public func parameterIndex(_ name: String) throws(SQLiteError) -> Int {
        let full = name.first.map { ":@$".contains($0) } == true ? name : ":" + name
        let index = Int(sqlite3_bind_parameter_index(handle, full))
        guard index > 0 else {
            throw SQLiteError(.range, message: "no parameter named \(full)", sql: sql)
        }
        return index
    }

    private func check(_ rc: CInt) throws(SQLiteError) {
        guard rc == SQLITE_OK else { throw SQLiteError.last(db, code: rc, sql: sql) }
    }
}

// MARK: Conformances

extension Int: Bindable {
    public func bind(to statement: Statement, at index: Int) throws(SQLiteError) { try statement.bind(self, at: index) }
}
extension Int64: Bindable {
    public func bind(to statement: Statement, at index: Int) throws(SQLiteError) { try statement.bind(self, at: index) }
}
extension Int32: Bindable {
    public func bind(to statement: Statement, at index: Int) throws(SQLiteError) { try statement.bind(Int64(self), at: index) }
}
extension Double: Bindable {
    public func bind(to statement: Statement, at index: Int) throws(SQLiteError) { try statement.bind(self, at: index) }
}
extension Bool: Bindable {
    public func bind(to statement: Statement, at index: Int) throws(SQLiteError) { try statement.bind(self, at: index) }
}
extension String: Bindable {
    public func bind(to statement: Statement, at index: Int) throws(SQLiteError) { try statement.bind(self, at: index) }
}
extension Substring: Bindable {
    public func bind(to statement: Statement, at index: Int) throws(SQLiteError) { try statement.bind(String(self), at: index) }
}
extension Array: Bindable where Element == UInt8 {
    public func bind(to statement: Statement, at index: Int) throws(SQLiteError) { try statement.bind(self, at: index) }
}
extension Date: Bindable {
    public func bind(to statement: Statement, at index: Int) throws(SQLiteError) { try statement.bind(self, at: index) }
}
extension Optional: Bindable where Wrapped: Bindable {
    public func bind(to statement: Statement, at index: Int) throws(SQLiteError) {
        if let self { try self.bind(to: statement, at: index) } else { try statement.bindNull(at: index) }
    }
}
