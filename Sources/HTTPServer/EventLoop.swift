internal import CShims
internal import Glibc
internal import Synchronization

/// One epoll thread that owns its connections and is also the executor its handlers run on:
/// parsing, handling and writing a request all happen on this thread without a hop, and a
/// handler that awaits (database, network, sleep) frees the loop for other connections.
final class EventLoop: TaskExecutor, @unchecked Sendable {
    enum Work {
        case job(UnownedJob)
        case call(@Sendable () -> Void)
    }

    struct Queue {
        var items: [Work] = []
        var stopped = false
    }

    static let listenerToken = UInt64.max
    static let wakeToken = UInt64.max - 1

    let index: Int
    let core: ServerCore
    let listenFd: Int32
    let epfd: Int32
    let wakeFd: Int32
    private let queue = Mutex(Queue())
    private let sleeping = Atomic<Bool>(false)
    private var thread = pthread_t()

    // Everything below is touched on the loop thread only.
    var connections: [Connection?] = []
    var connectionCount = 0
    var inFlight = 0
    var now: UInt64 = 0
    var dateCache = DateCache()
    var logBuffer: [UInt8] = []
    var draining = false
    var drainDeadline: UInt64 = 0
    var acceptPausedUntil: UInt64 = 0
    var nextConnectionID: UInt64 = 0
    var requestCounter: UInt64 = 0
    private var lastTimerScan: UInt64 = 0
    private var spare: [Work] = []

    init(index: Int, core: ServerCore, listenFd: Int32) throws(SocketError) {
        self.index = index
        self.core = core
        self.listenFd = listenFd
        epfd = fj_epoll_create()
        guard epfd >= 0 else { throw SocketError(operation: "epoll_create1", code: errno) }
        wakeFd = fj_eventfd()
        guard wakeFd >= 0 else { throw SocketError(operation: "eventfd", code: errno) }
        _ = fj_epoll_ctl(epfd, FJ_EPOLL_CTL_ADD, wakeFd, FJ_EPOLLIN, Self.wakeToken)
        // EPOLLEXCLUSIVE: one listener shared by all loops, and a new connection wakes only one of them.
        guard fj_epoll_ctl(epfd, FJ_EPOLL_CTL_ADD, listenFd, FJ_EPOLLIN | (1 << 28), Self.listenerToken) == 0 else {
            throw SocketError(operation: "epoll_ctl(listener)", code: errno)
        }
    }

    // MARK: TaskExecutor

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        if !push(.job(unowned)) {
            // The loop has stopped: let the task finish elsewhere rather than hang forever.
            globalConcurrentExecutor.enqueue(unowned)
        }
    }

    /// Runs `work` on the loop thread. Returns false when the loop has stopped.
    @discardableResult
    func push(_ work: Work) -> Bool {
        let accepted = queue.withLock { q -> Bool in
            guard !q.stopped else { return false }
            q.items.append(work)
            return true
        }
        if accepted && sleeping.load(ordering: .sequentiallyConsistent) {
            var one: UInt64 = 1
            _ = write(wakeFd, &one, 8)
        }
        return accepted
    }

    var isOnLoopThread: Bool { pthread_equal(pthread_self(), thread) != 0 }

    // MARK: Thread

    func start() throws(SocketError) {
        let box = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { raw in
            let loop = Unmanaged<EventLoop>.fromOpaque(raw!).takeRetainedValue()
            loop.run()
            return nil
        }, box)
        guard rc == 0 else {
            Unmanaged<EventLoop>.fromOpaque(box).release()
            throw SocketError(operation: "pthread_create", code: rc)
        }
    }

    func join() { pthread_join(thread, nil) }

    private func run() {
        thread = pthread_self()
        let events = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)
        let tokens = UnsafeMutablePointer<UInt64>.allocate(capacity: 256)
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer {
            events.deallocate()
            tokens.deallocate()
            scratch.deallocate()
        }
        now = monotonicNanos()
        while true {
            sleeping.store(true, ordering: .sequentiallyConsistent)
            let pending = queue.withLock { !$0.items.isEmpty }
            let n = fj_epoll_wait(epfd, events, tokens, 256, pending ? 0 : 250)
            sleeping.store(false, ordering: .sequentiallyConsistent)
            now = monotonicNanos()
            dateCache.update(now: time(nil))
            if n > 0 {
                for i in 0..<Int(n) { handleEvent(events[i], token: tokens[i], scratch: scratch) }
            }
            runQueued()
            flushLog()
            if now &- lastTimerScan >= 250_000_000 {
                lastTimerScan = now
                scanTimers()
            }
            if draining && shouldExit() { break }
        }
        finish()
    }

    private func handleEvent(_ mask: UInt32, token: UInt64, scratch: UnsafeMutableRawBufferPointer) {
        switch token {
        case Self.listenerToken:
            acceptConnections()
        case Self.wakeToken:
            var value: UInt64 = 0
            _ = read(wakeFd, &value, 8)
        default:
            guard let connection = connections[Int(token)], !connection.isClosed else { return }
            if mask & (FJ_EPOLLIN | FJ_EPOLLHUP | FJ_EPOLLERR) != 0 {
                onReadable(connection, scratch: scratch)
            }
            if mask & FJ_EPOLLOUT != 0, !connection.isClosed {
                flush(connection)
            }
        }
    }

    /// Runs what was queued, a bounded number of rounds so I/O is not starved by busy tasks.
    private func runQueued() {
        let executor = asUnownedTaskExecutor()
        for _ in 0..<8 {
            // Swap buffers under the lock so both arrays keep their capacity between rounds.
            queue.withLock { swap(&self.spare, &$0.items) }
            if spare.isEmpty { return }
            for work in spare {
                switch work {
                case .job(let job): job.runSynchronously(on: executor)
                case .call(let call): call()
                }
            }
            spare.removeAll(keepingCapacity: true)
        }
    }

    private func flushLog() {
        guard !logBuffer.isEmpty else { return }
        core.log.write(logBuffer)
        logBuffer.removeAll(keepingCapacity: true)
    }

    private func finish() {
        let leftovers = queue.withLock { q -> [Work] in
            q.stopped = true
            defer { q.items = [] }
            return q.items
        }
        for work in leftovers {
            switch work {
            case .job(let job): globalConcurrentExecutor.enqueue(job)
            case .call(let call): call()
            }
        }
        flushLog()
        Glibc.close(epfd)
        Glibc.close(wakeFd)
    }
}
