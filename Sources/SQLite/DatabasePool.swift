internal import Synchronization

/// One writer and N readers over a WAL database, each connection on its own thread.
///
/// WAL lets readers work from a snapshot while the writer appends, so reads never wait for
/// writes and vice versa; writes are serialized on the single writer (SQLite allows one writer
/// anyway, and one connection avoids SQLITE_BUSY between our own writers).
///
/// Closures are synchronous and run on the connection's thread; they must not block on
/// anything but SQLite. Cancelling the awaiting task interrupts the running statement
/// (`sqlite3_interrupt`) and the call throws `CancellationError`.
public final class DatabasePool: Sendable {
    public struct Configuration: Sendable {
        public var readerCount = 4
        public var writer = Connection.Configuration()
        public var reader = Connection.Configuration.reader
        public init() {}
    }

    /// Counters for tests, metrics and benchmarks.
    public struct Statistics: Sendable {
        /// Transactions committed or attempted by `writeBatched`.
        public var batchedTransactions: Int
        /// Requests run through `writeBatched`.
        public var batchedRequests: Int
    }

    private struct Lifecycle: ~Copyable {
        var inFlight = 0
        var closing = false
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
    }

    public let path: String
    let writer: SerializedConnection
    let readers: [SerializedConnection]
    private let slots: ReaderSlots
    private let batcher = WriteBatcher()
    private let lifecycle = Mutex(Lifecycle())
    private let jobs = Atomic<UInt64>(0)

    /// Opens the writer first (creating the file and switching it to WAL), then the readers.
    /// Throws `SQLiteError` naming the path when the file cannot be opened or is not a database.
    public init(path: String, configuration: Configuration = Configuration()) throws(SQLiteError) {
        self.path = path
        let writerConnection = try Connection(path: path, configuration: configuration.writer)
        writer = try SerializedConnection(connection: writerConnection, name: "sqlite-writer")
        var readers: [SerializedConnection] = []
        for index in 0..<max(1, configuration.readerCount) {
            let connection = try Connection(path: path, configuration: configuration.reader)
            readers.append(try SerializedConnection(connection: connection, name: "sqlite-read-\(index)"))
        }
        self.readers = readers
        slots = ReaderSlots(count: readers.count)
    }

    deinit {
        // close() is the orderly path; this only keeps a forgotten pool from leaking threads.
        writer.executor.shutdown()
        for reader in readers { reader.executor.shutdown() }
    }

    // MARK: Access

    /// Runs `body` on the writer inside an IMMEDIATE transaction; commits when it returns.
    @discardableResult
    public func write<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T {
        try await writeWithoutTransaction { connection in
            try connection.transaction(.immediate) { try body(connection) }
        }
    }

    /// Runs `body` on the writer with no transaction around it (VACUUM, checkpoints, migrations
    /// that manage their own transactions).
    @discardableResult
    public func writeWithoutTransaction<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T {
        try enter()
        defer { leave() }
        return try await perform(on: writer, body)
    }

    /// Runs `body` on a free reader inside a deferred transaction, so every statement in it sees
    /// the same snapshot. Waits when all readers are busy.
    @discardableResult
    public func read<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T {
        try enter()
        defer { leave() }
        let index = try await slots.acquire()
        defer { slots.release(index) }
        return try await perform(on: readers[index]) { connection in
            try connection.transaction(.deferred) { try body(connection) }
        }
    }

    /// Group commit: `body` runs in a transaction shared with the other requests queued at the
    /// same moment, inside its own savepoint. Returns (or throws its own error) only after that
    /// transaction committed. See `WriteBatcher`.
    @discardableResult
    public func writeBatched<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try enter()
        defer { leave() }
        return try await batcher.submit(to: writer, body)
    }

    public var statistics: Statistics {
        Statistics(batchedTransactions: batcher.transactionCount, batchedRequests: batcher.itemCount)
    }

    /// Runs `body` with a reader held for the whole call (backups hold one across many steps).
    func withReader<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T {
        try enter()
        defer { leave() }
        let index = try await slots.acquire()
        defer { slots.release(index) }
        return try await perform(on: readers[index], body)
    }

    private func perform<T: Sendable>(on connection: SerializedConnection, _ body: @Sendable (Connection) throws -> T) async throws -> T {
        let job = jobs.add(1, ordering: .relaxed).newValue
        return try await withTaskCancellationHandler {
            try await connection.run(job: job, body)
        } onCancel: {
            connection.interruptState.cancel(job: job)
        }
    }

    // MARK: Lifecycle

    private func enter() throws(SQLiteError) {
        let open = lifecycle.withLock { state -> Bool in
            guard !state.closing else { return false }
            state.inFlight += 1
            return true
        }
        guard open else { throw SQLiteError(.misuse, message: "the database pool is closed") }
    }

    private func leave() {
        let waiters = lifecycle.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.inFlight -= 1
            guard state.closing, state.inFlight == 0 else { return [] }
            defer { state.closeWaiters = [] }
            return state.closeWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Refuses new work, waits for the work in flight (including queued batched writes), then
    /// closes every connection and stops their threads. Idempotent.
    public func close() async {
        await withCheckedContinuation { continuation in
            let done = lifecycle.withLock { state -> Bool in
                state.closing = true
                guard state.inFlight > 0 else { return true }
                state.closeWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
        await writer.close()
        for reader in readers { await reader.close() }
        // The queues are empty now, so joining the threads is immediate.
        writer.executor.shutdown()
        for reader in readers { reader.executor.shutdown() }
    }
}
