internal import Glibc

/// A `SerialExecutor` that owns one thread (STYLE A.5 lesson 5).
///
/// `sqlite3_step` blocks: on an fsync, on a long scan, on busy_timeout. Run on Swift's
/// cooperative pool (two threads on this machine) it would stall unrelated tasks, so every
/// connection's actor runs its jobs here instead. A plain pthread rather than a DispatchQueue:
/// the thread is stable (SQLite connections opened NOMUTEX are used from exactly this thread),
/// and no dispatch-vs-Swift-executor interplay has to be trusted on Linux.
final class ConnectionExecutor: SerialExecutor, @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var stopping = false
    private var thread: pthread_t?

    init(name: String) throws(SQLiteError) {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        var thread = pthread_t()
        let box = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { raw in
            let executor = Unmanaged<ConnectionExecutor>.fromOpaque(raw!).takeRetainedValue()
            executor.work()
            return nil
        }, box)
        guard rc == 0 else {
            Unmanaged<ConnectionExecutor>.fromOpaque(box).release()
            throw SQLiteError(.error, message: "cannot start the \(name) thread (pthread_create: \(rc))")
        }
        self.thread = thread
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        pthread_mutex_lock(mutex)
        if stopping && thread == nil {
            pthread_mutex_unlock(mutex)
            // Only reachable by misuse after close(): run the job (which will find the connection
            // closed and throw) rather than leave its task suspended forever.
            unowned.runSynchronously(on: asUnownedSerialExecutor())
            return
        }
        jobs.append(unowned)
        pthread_mutex_unlock(mutex)
        pthread_cond_signal(condition)
    }

    private func work() {
        let executor = asUnownedSerialExecutor()
        pthread_mutex_lock(mutex)
        while true {
            if head < jobs.count {
                let job = jobs[head]
                head += 1
                if head == jobs.count {
                    jobs.removeAll(keepingCapacity: true)
                    head = 0
                }
                pthread_mutex_unlock(mutex)
                job.runSynchronously(on: executor)
                pthread_mutex_lock(mutex)
                continue
            }
            if stopping { break }
            pthread_cond_wait(condition, mutex)
        }
        pthread_mutex_unlock(mutex)
    }

    /// Runs what is queued, then ends the thread and waits for it. Must not be called from the
    /// executor's own thread.
    func shutdown() {
        pthread_mutex_lock(mutex)
        stopping = true
        let running = thread
        pthread_mutex_unlock(mutex)
        pthread_cond_signal(condition)
        if let running { pthread_join(running, nil) }
        pthread_mutex_lock(mutex)
        thread = nil
        pthread_mutex_unlock(mutex)
    }
}
