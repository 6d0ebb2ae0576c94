public import Testing
internal import Glibc

/// Runs each test of a suite on threads of its own rather than Swift's cooperative pool.
///
/// Tests talk to the server through blocking sockets (`RawClient`). On Linux the cooperative
/// pool is strictly one thread per core: two tests blocked in `recv` (a 100,000-row import waits
/// for tens of seconds in a debug build) leave no thread for anything else in the process that
/// still runs there, so unrelated tests stalled until their 10-second socket timeouts. Put
/// `.blockingIO` on every suite that blocks.
public struct BlockingIO: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> BlockingIO? {
        // Test functions only: a suite's scope would wrap its tests in one executor hop for nothing.
        testCase == nil ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        try await withTaskExecutorPreference(BlockingIOExecutor.shared) { try await function() }
    }
}

extension BlockingIO {
    /// For a test's own unstructured tasks (`Task(executorPreference: BlockingIO.executor)`):
    /// on the cooperative pool they would wait behind CPU-bound tests running in parallel.
    public static var executor: any TaskExecutor { BlockingIOExecutor.shared }
}

extension Trait where Self == BlockingIO {
    /// See `BlockingIO`.
    public static var blockingIO: BlockingIO { BlockingIO() }
}

/// A pool of plain threads that may block. Bounded, so a parallel test run cannot start hundreds
/// of threads; a job waits when all are busy, which only slows tests down, never the server (its
/// threads are its own).
final class BlockingIOExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = BlockingIOExecutor(threads: 12)

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var jobs: [UnownedJob] = []
    private var head = 0

    private init(threads: Int) {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        for _ in 0..<threads {
            var thread = pthread_t()
            let box = Unmanaged.passUnretained(self).toOpaque()
            let rc = pthread_create(&thread, nil, { raw in
                Unmanaged<BlockingIOExecutor>.fromOpaque(raw!).takeUnretainedValue().work()
                return nil
            }, box)
            precondition(rc == 0, "pthread_create: \(rc)")
            pthread_detach(thread)
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        pthread_mutex_lock(mutex)
        jobs.append(unowned)
        pthread_mutex_unlock(mutex)
        pthread_cond_signal(condition)
    }

    private func work() -> Never {
        let executor = asUnownedTaskExecutor()
        pthread_mutex_lock(mutex)
        while true {
            guard head < jobs.count else {
                pthread_cond_wait(condition, mutex)
                continue
            }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            }
            pthread_mutex_unlock(mutex)
            job.runSynchronously(on: executor)
            pthread_mutex_lock(mutex)
        }
    }
}
