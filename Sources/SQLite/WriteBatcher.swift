internal import Synchronization

/// Group commit: concurrent write requests share one transaction and one fsync.
///
/// With `synchronous=FULL` every COMMIT waits for an fsync of the WAL; one transaction per
/// ingest request would cap throughput at the disk's fsync rate. Instead, requests queue here,
/// and whenever the writer is free it takes *everything* queued so far into one IMMEDIATE
/// transaction. No timer: requests that arrive while a transaction (and its fsync) runs form
/// the next batch, so batches grow exactly as fast as the disk makes writers wait.
///
/// Each request runs in its own SAVEPOINT, so one failing request is rolled back alone and
/// gets its own error while the others commit. Callers are resumed only after COMMIT returned,
/// so a returned value means durable. A batched request cannot be cancelled once queued: its
/// transaction is shared, and interrupting it would fail the others.
final class WriteBatcher: Sendable {
    private struct State: ~Copyable {
        var pending: [any BatchItem] = []
        var draining = false
    }

    private let state = Mutex(State())
    private let transactions = Atomic<Int>(0)
    private let items = Atomic<Int>(0)

    /// COMMITs attempted by batches so far.
    var transactionCount: Int { transactions.load(ordering: .relaxed) }
    /// Requests run through batches so far.
    var itemCount: Int { items.load(ordering: .relaxed) }

    func submit<T: Sendable>(to writer: SerializedConnection, _ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let item = TypedBatchItem(body: body, continuation: continuation)
            let startDrain = state.withLock { state in
                state.pending.append(item)
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDrain {
                // Started on the writer's own thread: a commit never waits for a pool thread.
                Task(executorPreference: writer.executor) { await self.drain(writer) }
            }
        }
    }

    private func drain(_ writer: SerializedConnection) async {
        while await writer.runBatch(self) {}
    }

    /// Takes every queued item, or ends the drain when there are none. One lock for both, so an
    /// item appended concurrently either lands in this batch or starts a new drain.
    func takePending() -> [any BatchItem]? {
        state.withLock { state in
            guard !state.pending.isEmpty else {
                state.draining = false
                return nil
            }
            defer { state.pending = [] }
            return state.pending
        }
    }

    /// Runs on the writer's thread.
    func run(_ batch: [any BatchItem], on connection: Connection) {
        items.add(batch.count, ordering: .relaxed)
        // Items that succeeded inside the currently open transaction, still awaiting its COMMIT.
        var uncommitted: [any BatchItem] = []
        var settled: [any BatchItem] = []

        func fail(_ list: inout [any BatchItem], because error: any Error) {
            for item in list { item.overrideFailure(error) }
            settled += list
            list = []
        }

        for item in batch {
            if !connection.isInTransaction {
                do {
                    try connection.execute("BEGIN IMMEDIATE")
                    transactions.add(1, ordering: .relaxed)
                } catch {
                    item.overrideFailure(error)
                    settled.append(item)
                    continue
                }
            }
            item.run(on: connection)
            if !connection.isInTransaction {
                // The item's error made SQLite roll back the whole transaction (SQLITE_FULL,
                // SQLITE_IOERR, ...): the earlier items' savepoints were lost with it.
                settled.append(item)
                fail(&uncommitted, because: SQLiteError(.abort, message: "rolled back with a failing request in the same batch; retry"))
            } else if item.succeeded {
                uncommitted.append(item)
            } else {
                settled.append(item)
            }
        }
        if connection.isInTransaction {
            do {
                try connection.execute("COMMIT")
                settled += uncommitted
            } catch {
                connection.rollbackIfActive()
                fail(&uncommitted, because: error)
            }
        }
        // Resume callers only now: everything that reports success has been committed.
        for item in settled { item.complete() }
    }
}

/// A queued write with its caller's continuation; type-erased so one batch holds any results.
protocol BatchItem: AnyObject, Sendable {
    var succeeded: Bool { get }
    func run(on connection: Connection)
    func overrideFailure(_ error: any Error)
    func complete()
    func fail(_ error: any Error)
}

// The outcome is written and read only on the writer's thread, by `WriteBatcher.run`.
final class TypedBatchItem<T: Sendable>: BatchItem, @unchecked Sendable {
    let body: @Sendable (Connection) throws -> T
    let continuation: CheckedContinuation<T, any Error>
    var outcome: Result<T, any Error>?

    init(body: @escaping @Sendable (Connection) throws -> T, continuation: CheckedContinuation<T, any Error>) {
        self.body = body
        self.continuation = continuation
    }

    var succeeded: Bool {
        if case .success = outcome { return true }
        return false
    }

    func run(on connection: Connection) {
        outcome = Result { try connection.savepoint { try body(connection) } }
    }

    func overrideFailure(_ error: any Error) {
        outcome = .failure(error)
    }

    func complete() {
        continuation.resume(with: outcome ?? .failure(SQLiteError(.internal, message: "batched write never ran")))
    }

    func fail(_ error: any Error) {
        continuation.resume(throwing: error)
    }
}
