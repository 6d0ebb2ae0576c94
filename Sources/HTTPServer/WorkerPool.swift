internal import Glibc

/// The server's own bounded pool of handler threads. Separate from Swift's global executor on
/// purpose: a handler that blocks here can exhaust this pool (then requests wait, and overload
/// is answered 503 by the in-flight limit) but never the cooperative pool the rest of the
/// process relies on, nor an event loop.
final class WorkerPool: TaskExecutor, @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var idle = 0
    private var stopping = false
    private var threads: [pthread_t] = []

    init(threads count: Int) throws(SocketError) {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        for _ in 0..<max(1, count) {
            var thread = pthread_t()
            let box = Unmanaged.passRetained(self).toOpaque()
            let rc = pthread_create(&thread, nil, { raw in
                let pool = Unmanaged<WorkerPool>.fromOpaque(raw!).takeRetainedValue()
                pool.work()
                return nil
            }, box)
            guard rc == 0 else {
                Unmanaged<WorkerPool>.fromOpaque(box).release()
                stop()
                throw SocketError(operation: "pthread_create(worker)", code: rc)
            }
            threads.append(thread)
        }
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
        if stopping {
            pthread_mutex_unlock(mutex)
            // Suspended handlers that resume after shutdown finish elsewhere instead of hanging.
            globalConcurrentExecutor.enqueue(unowned)
            return
        }
        jobs.append(unowned)
        let wake = idle > 0
        pthread_mutex_unlock(mutex)
        if wake { pthread_cond_signal(condition) }
    }

    private func work() {
        let executor = asUnownedTaskExecutor()
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
            idle += 1
            pthread_cond_wait(condition, mutex)
            idle -= 1
        }
        pthread_mutex_unlock(mutex)
    }

    /// Runs what is queued, then ends the threads. Blocks until they have ended.
    func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        let running = threads
        threads = []
        pthread_mutex_unlock(mutex)
        pthread_cond_broadcast(condition)
        for thread in running { pthread_join(thread, nil) }
    }
}
