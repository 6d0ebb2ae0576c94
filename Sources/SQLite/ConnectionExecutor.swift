internal import Glibc

/// A `SerialExecutor` that owns one thread (STYLE A.5 lesson 5).
///
/// `sqlite3_step` blocks: on an fsync, on a long scan, on busy_timeout. Run on Swift's
/// cooperative pool (two threads on this machine) it would stall unrelated tasks, so every
/// connection's actor runs its jobs here instead. A plain pthread rather than a DispatchQueue:
/// the thread is stable (SQLite connections opened NOMUTEX are used from exactly this thread),
/// and no dispatch-vs-Swift-executor interplay has to be trusted on Linux.
///
/// It is a `TaskExecutor` too, so a task that exists only to drive this connection (the write
/// batcher's drain) starts here rather than on the cooperative pool: a pool blocked by someone
/// else's code (on Linux it is strictly one thread per core) must never hold up a commit.
final class ConnectionExecutor: SerialExecutor, TaskExecutor, @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var stopping = false
    private var exited = false
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
        if exited {
            pthread_mutex_unlock(mutex)
            // Only reachable by misuse after close(): run the job (which will find the connection
            // closed and throw) rather than leave its task suspended forever.
            unowned.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor())
            return
        }
        jobs.append(unowned)
        pthread_mutex_unlock(mutex)
        pthread_cond_signal(condition)
    }

    private func work() {
        let executor = asUnownedSerialExecutor()
        let taskExecutor = asUnownedTaskExecutor()
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
                job.runSynchronously(isolatedTo: executor, taskExecutor: taskExecutor)
                pthread_mutex_lock(mutex)
                continue
            }
            if stopping { break }
            pthread_cond_wait(condition, mutex)
        }
        // Set under the same lock as the last empty check, so no job can be queued after it.
        exited = true
        pthread_mutex_unlock(mutex)
    }

    /// Runs what is queued, then ends the thread and waits for it. Idempotent. Called on the
    /// executor's own thread (the last reference dropped inside a job) it does not wait.
    func shutdown() {
        pthread_mutex_lock(mutex)
        stopping = true
        let running = thread
        thread = nil
        pthread_mutex_unlock(mutex)
        pthread_cond_signal(condition)
        guard let running else { return }
        if pthread_equal(running, pthread_self()) != 0 {
            pthread_detach(running)
        } else {
            pthread_join(running, nil)
        }
    }
}
