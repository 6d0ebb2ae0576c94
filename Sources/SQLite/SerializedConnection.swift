/// A connection confined to an actor whose executor is the connection's own thread.
///
/// Every method is synchronous inside the actor, so a job runs start to finish without
/// interleaving: the actor is the connection's serial queue, and awaiting it is how async
/// code borrows the connection.
actor SerializedConnection {
    nonisolated let executor: ConnectionExecutor
    nonisolated let interruptState: InterruptState
    private let connection: Connection
    private var isClosed = false

    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(connection: sending Connection, name: String) throws(SQLiteError) {
        self.executor = try ConnectionExecutor(name: name)
        self.interruptState = connection.interruptState
        self.connection = connection
    }

    /// Runs `body` as job number `job` (see `InterruptState`). Throws `CancellationError` when
    /// the task was cancelled before the job started or while it ran.
    func run<T: Sendable>(job: UInt64, _ body: (Connection) throws -> T) throws -> T {
        guard !isClosed else { throw SQLiteError(.misuse, message: "the database pool is closed") }
        interruptState.begin(job: job)
        defer { interruptState.end(job: job) }
        try Task.checkCancellation()
        do {
            return try body(connection)
        } catch let error as SQLiteError where error.code.primary == .interrupt && Task.isCancelled {
            throw CancellationError()
        }
    }

    /// Runs a batch of queued writes (see `WriteBatcher`); returns false when nothing was queued.
    func runBatch(_ batcher: WriteBatcher) -> Bool {
        guard let items = batcher.takePending() else { return false }
        guard !isClosed else {
            for item in items { item.fail(SQLiteError(.misuse, message: "the database pool is closed")) }
            return true
        }
        batcher.run(items, on: connection)
        return true
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        connection.close()
    }
}
