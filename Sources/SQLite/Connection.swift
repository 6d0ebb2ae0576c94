internal import CSQLite

/// One SQLite connection, opened with `SQLITE_OPEN_NOMUTEX`: SQLite does no locking of its own,
/// so the connection must only ever be used from one thread at a time. `DatabasePool` gives each
/// connection its own thread; code that opens a `Connection` directly owns that duty.
public final class Connection {
    public struct Configuration: Sendable {
        public enum Synchronous: String, Sendable { case off = "OFF", normal = "NORMAL", full = "FULL", extra = "EXTRA" }

        /// Readers open read-only: a bug in read code cannot write, and no journal is needed.
        public var readOnly = false
        /// Create the file when it does not exist (writers only).
        public var create = true
        /// Put the database in WAL mode (writers; readers inherit it from the file).
        public var walMode = true
        /// FULL by default. The product promises "acknowledged means committed". In WAL mode
        /// NORMAL already survives a process crash (kill -9: the WAL is in the OS page cache and
        /// SQLite replays it), but it does not fsync the WAL at commit, so a power loss or OS crash
        /// can drop the last acknowledged transactions. FULL fsyncs the WAL at every commit and
        /// survives both. Group commit (`WriteBatcher`) amortises that fsync over many writers.
        /// Measured here (Tests/SQLiteTests/Benchmark.swift, release, ext4 on a virtual disk,
        /// 3 runs under load): bulk inserts show no difference (470k-670k rows/s FULL vs
        /// 500k-580k NORMAL, noise); one-row transactions one after another do (2.5k-13k/s FULL
        /// vs 31k-36k/s NORMAL), but the same requests from 16 callers through group commit reach
        /// 35k-65k/s FULL vs 45k-80k/s NORMAL. Not a decisive cost, so FULL.
        public var synchronous: Synchronous = .full
        public var foreignKeys = true
        /// How long to wait for a lock held by another connection before SQLITE_BUSY.
        public var busyTimeoutMilliseconds: Int = 5_000

        public init() {}

        public static var reader: Configuration {
            var configuration = Configuration()
            configuration.readOnly = true
            configuration.create = false
            configuration.walMode = false
            return configuration
        }
    }

    let handle: OpaquePointer
    public let path: String
    let interruptState: InterruptState
    private var cache: [String: Statement] = [:]
    var savepointCounter = 0

    /// Opens (and by default creates) the database at `path` and applies the configuration's
    /// pragmas. Failures name the path: "unable to open database file (/x/y.db)".
    public init(path: String, configuration: Configuration = Configuration()) throws(SQLiteError) {
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        if configuration.readOnly {
            flags |= SQLITE_OPEN_READONLY
        } else {
            flags |= SQLITE_OPEN_READWRITE | (configuration.create ? SQLITE_OPEN_CREATE : 0)
        }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let error = SQLiteError.last(db, code: rc)
            sqlite3_close_v2(db)
            throw SQLiteError(error.code, message: "\(error.message) (\(path))")
        }
        self.handle = db
        self.path = path
        self.interruptState = InterruptState(db)
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, CInt(clamping: configuration.busyTimeoutMilliseconds))
        interruptState.installProgressHandler()
        do {
            try applyPragmas(configuration)
            // The pragmas' statements are never run again; keep the cache for the caller's SQL.
            cache.removeAll()
        } catch {
            interruptState.close()
            sqlite3_close_v2(db)
            throw SQLiteError(error.code, message: "\(error.message) (\(path))", sql: error.sql)
        }
    }

    private func applyPragmas(_ configuration: Configuration) throws(SQLiteError) {
        // Double-quoted strings silently becoming literals hide typos in column names.
        csqlite_db_config_bool(handle, SQLITE_DBCONFIG_DQS_DML, 0, nil)
        csqlite_db_config_bool(handle, SQLITE_DBCONFIG_DQS_DDL, 0, nil)
        // Reading the schema first turns "not a database" and corruption into an open error.
        _ = try scalar("SELECT count(*) FROM sqlite_schema") as Int64?
        if !configuration.readOnly {
            // Takes effect only on a new, empty file: freed pages can then be handed back to the
            // file system (`PRAGMA incremental_vacuum`) after bulk deletes such as reading compaction.
            try execute("PRAGMA auto_vacuum=INCREMENTAL")
        }
        if configuration.walMode, !configuration.readOnly {
            let mode: String? = try scalar("PRAGMA journal_mode=WAL")
            guard mode?.lowercased() == "wal" else {
                throw SQLiteError(.error, message: "cannot enable WAL (journal_mode is \(mode ?? "?"))")
            }
        }
        if !configuration.readOnly {
            try execute("PRAGMA synchronous=\(configuration.synchronous.rawValue)")
        }
        try execute("PRAGMA foreign_keys=\(configuration.foreignKeys ? "ON" : "OFF")")
    }

    deinit {
        if !interruptState.isClosed { close() }
    }

    /// Finalizes cached statements and closes. Statements still held elsewhere keep the
    /// connection alive as a zombie until they are released (sqlite3_close_v2), so this never fails.
    public func close() {
        cache.removeAll()
        interruptState.close()
        // A zombie connection must not call back into state that is about to be released.
        sqlite3_progress_handler(handle, 0, nil, nil)
        sqlite3_close_v2(handle)
    }

    // MARK: Statements

    /// Prepares a statement the caller owns.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        try Statement(db: handle, sql: sql, persistent: false)
    }

    /// Returns the cached statement for `sql`, reset and with bindings cleared, preparing it on
    /// first use. When that statement is mid-iteration (a nested query with the same SQL), a fresh
    /// uncached one is returned instead.
    public func cachedStatement(_ sql: String) throws(SQLiteError) -> Statement {
        if let statement = cache[sql] {
            if statement.isBusy { return try prepare(sql) }
            statement.reset()
            statement.clearBindings()
            return statement
        }
        let statement = try Statement(db: handle, sql: sql, persistent: true)
        // SQL built at run time (IN lists of varying length) must not grow the cache forever;
        // emptying it now and then is simpler than LRU and costs only re-preparation.
        if cache.count >= Self.statementCacheCapacity { cache = cache.filter { $0.value.isBusy } }
        cache[sql] = statement
        return statement
    }

    static let statementCacheCapacity = 512

    /// Number of statements in the cache.
    public var cachedStatementCount: Int { cache.count }

    /// Runs a script of zero or more statements with no parameters (DDL, PRAGMAs, migrations).
    public func execute(_ sql: String) throws(SQLiteError) {
        var utf8 = Array(sql.utf8CString)
        try utf8.withUnsafeMutableBufferPointer { (buffer) throws(SQLiteError) in
            var cursor = UnsafePointer(buffer.baseAddress!)
            while cursor.pointee != 0 {
                var statement: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                var rc = sqlite3_prepare_v2(handle, cursor, -1, &statement, &tail)
                // On a prepare error the rest of the script is the best context there is.
                guard rc == SQLITE_OK else { throw SQLiteError.last(handle, code: rc, sql: String(cString: cursor)) }
                defer { sqlite3_finalize(statement) }
                if let statement {
                    repeat { rc = sqlite3_step(statement) } while rc == SQLITE_ROW
                    guard rc == SQLITE_DONE else {
                        throw SQLiteError.last(handle, code: rc, sql: String(cString: sqlite3_sql(statement)))
                    }
                }
                guard let tail else { break }
                cursor = tail
            }
        }
    }

    /// Runs one statement with positional arguments through the cache; returns rows changed.
    @discardableResult
    public func execute(_ sql: String, _ bindings: [(any Bindable)?]) throws -> Int {
        try cachedStatement(sql).execute(bindings)
    }

    /// Runs one statement with named arguments (`:name`) through the cache; returns rows changed.
    @discardableResult
    public func execute(_ sql: String, named bindings: [String: (any Bindable)?]) throws -> Int {
        let statement = try cachedStatement(sql)
        try statement.bind(bindings)
        return try statement.execute()
    }

    /// Runs a query through the cache and calls `body` for each row.
    public func query(_ sql: String, _ bindings: [(any Bindable)?] = [], _ body: (Row) throws -> Void) throws {
        try cachedStatement(sql).query(bindings, body)
    }

    /// The first column of the first row, or nil when there is no row or it is NULL.
    public func scalar<T: ColumnValue>(_ sql: String, _ bindings: [(any Bindable)?] = []) throws(SQLiteError) -> T? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        if !bindings.isEmpty { try statement.bind(bindings) }
        guard try statement.step(), !statement.isNull(0) else { return nil }
        return T.read(statement, at: 0)
    }

    // MARK: State

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    /// Rows changed by the most recent INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes64(handle)) }
    public var totalChanges: Int { Int(sqlite3_total_changes64(handle)) }
    /// False in autocommit mode; true inside BEGIN...COMMIT or a savepoint.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    public func setBusyTimeout(milliseconds: Int) {
        sqlite3_busy_timeout(handle, CInt(clamping: milliseconds))
    }

    /// Interrupts the running statement. Callable from this connection's thread only, because
    /// `Connection` is not Sendable; other threads use `interruptHandle`.
    public func interrupt() { interruptHandle.interrupt() }

    /// A Sendable handle that interrupts this connection from any thread, and is a safe no-op
    /// once the connection is closed.
    public var interruptHandle: InterruptHandle { InterruptHandle(state: interruptState) }
}

@available(*, unavailable, message: "a connection is serialized on one thread; use DatabasePool to share")
extension Connection: Sendable {}
