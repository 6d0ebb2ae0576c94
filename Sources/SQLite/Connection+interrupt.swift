internal import CSQLite
internal import Synchronization

/// Interrupts a connection from any thread.
///
/// `sqlite3_interrupt` is thread-safe but must never see a closed handle, so every call goes
/// through `InterruptState`'s lock, which `Connection.close()` takes before closing.
public struct InterruptHandle: Sendable {
    let state: InterruptState

    /// Interrupts whatever statement runs now; a no-op when none runs or the connection is closed.
    public func interrupt() { state.interruptNow() }
}

/// Shared between a connection (its thread) and cancellation handlers (any thread).
///
/// Task cancellation needs more than `sqlite3_interrupt`: that call is a no-op when no statement
/// is running at that instant, so a cancel landing between two statements of a job (or just
/// before the first) would be lost. Jobs are therefore numbered; cancelling the running job sets
/// `cancelRequested`, which a progress handler polls every few hundred VM instructions, so the
/// job's next statement stops too. A late cancel for a finished job never touches the next one.
final class InterruptState: Sendable {
    // The raw handle is only dereferenced under the mutex, which is what makes sharing it sound.
    private struct Guarded: ~Copyable, @unchecked Sendable {
        var db: OpaquePointer?
        var activeJob: UInt64 = 0
    }

    private let guarded: Mutex<Guarded>
    private let cancelRequested = Atomic<Bool>(false)
    private let closed = Atomic<Bool>(false)

    init(_ db: OpaquePointer) {
        guarded = Mutex(Guarded(db: db))
    }

    var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Called on the connection's thread at open. The handler holds an unretained pointer: the
    /// connection owns this state and removes the handler (by closing) before releasing it.
    func installProgressHandler() {
        guarded.withLock { state in
            guard let db = state.db else { return }
            sqlite3_progress_handler(db, 256, { context in
                let state = Unmanaged<InterruptState>.fromOpaque(context!).takeUnretainedValue()
                return state.cancelRequested.load(ordering: .relaxed) ? 1 : 0
            }, Unmanaged.passUnretained(self).toOpaque())
        }
    }

    func interruptNow() {
        guarded.withLock { state in
            if let db = state.db { sqlite3_interrupt(db) }
        }
    }

    /// Marks `job` as running on the connection (connection thread).
    func begin(job: UInt64) {
        // Under the lock, so a cancel for this job cannot land between the two stores.
        guarded.withLock { state in
            cancelRequested.store(false, ordering: .relaxed)
            state.activeJob = job
        }
    }

    /// Marks the job finished and clears a pending request (connection thread).
    func end(job: UInt64) {
        guarded.withLock { state in
            state.activeJob = 0
            cancelRequested.store(false, ordering: .relaxed)
        }
    }

    /// Cancels `job` if it is the one running now (any thread).
    func cancel(job: UInt64) {
        guarded.withLock { state in
            guard state.activeJob == job, let db = state.db else { return }
            cancelRequested.store(true, ordering: .relaxed)
            sqlite3_interrupt(db)
        }
    }

    /// Whether the running job was cancelled (connection thread), to tell an interrupt caused by
    /// cancellation from one caused by `interrupt()`.
    var isCancelRequested: Bool { cancelRequested.load(ordering: .relaxed) }

    func close() {
        guarded.withLock { $0.db = nil }
        closed.store(true, ordering: .releasing)
    }
}
