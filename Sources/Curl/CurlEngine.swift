internal import CCurl
internal import Glibc

/// Runs every transfer of the process on one curl multi handle, driven by a thread of its own.
///
/// libcurl's easy interface blocks for a whole transfer: on Swift's cooperative pool (two
/// threads here) one slow webhook would stall the process. A pool of transfer threads would
/// bound concurrency by its size, so a few peers that time out after 30 s could hold every
/// thread while other deliveries wait. One multi handle serves any number of transfers from a
/// single thread (non-blocking sockets, libcurl's threaded resolver), shares one connection
/// cache across calls, and can stop a transfer when its caller is cancelled. Callers suspend on
/// a continuation the thread resumes.
final class CurlEngine: @unchecked Sendable {
    static let shared = CurlEngine()

    private static let globalInit: Void = {
        // Exactly once, before any other libcurl call (it is not thread-safe against them).
        let code = curl_global_init(Int(CURL_GLOBAL_ALL))
        precondition(code == CURLE_OK, "curl_global_init failed: \(code)")
    }()

    /// Call before the first easy handle is made.
    static func initialiseLibrary() { _ = globalInit }

    private let multi: UnsafeMutableRawPointer
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var submitted: [Transfer] = []
    private var cancelled: [ObjectIdentifier] = []
    private var busy = false
    // The engine thread's own.
    private var active: [Int: Transfer] = [:]

    private init() {
        Self.initialiseLibrary()
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed") }
        self.multi = multi
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        var thread = pthread_t()
        // The shared engine lives as long as the process: its thread holds it unretained.
        let rc = pthread_create(&thread, nil, { raw in
            Unmanaged<CurlEngine>.fromOpaque(raw!).takeUnretainedValue().run()
        }, Unmanaged.passUnretained(self).toOpaque())
        precondition(rc == 0, "cannot start the curl thread (pthread_create: \(rc))")
        pthread_detach(thread)
    }

    /// Runs `transfer` to its end; cancelling the calling task stops it (`CurlError.isCancelled`).
    func perform(_ transfer: Transfer) async throws(CurlError) -> TransferResult {
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<TransferResult, CurlError>, Never>) in
                transfer.continuation = continuation
                submit(transfer)
            }
        } onCancel: {
            cancel(transfer)
        }
        return try result.get()
    }

    private func submit(_ transfer: Transfer) {
        pthread_mutex_lock(mutex)
        submitted.append(transfer)
        let sleeping = !busy
        pthread_mutex_unlock(mutex)
        if sleeping { pthread_cond_signal(condition) } else { curl_multi_wakeup(multi) }
    }

    private func cancel(_ transfer: Transfer) {
        pthread_mutex_lock(mutex)
        transfer.cancelRequested = true
        cancelled.append(ObjectIdentifier(transfer))
        let sleeping = !busy
        pthread_mutex_unlock(mutex)
        if sleeping { pthread_cond_signal(condition) } else { curl_multi_wakeup(multi) }
    }

    private func run() -> UnsafeMutableRawPointer? {
        while true {
            pthread_mutex_lock(mutex)
            // Idle: sleep on the condition rather than wake libcurl every second for nothing.
            while active.isEmpty && submitted.isEmpty {
                busy = false
                cancelled.removeAll()
                pthread_cond_wait(condition, mutex)
            }
            busy = true
            let adding = submitted.map { ($0, $0.cancelRequested) }
            let stopping = cancelled
            submitted.removeAll(keepingCapacity: true)
            cancelled.removeAll(keepingCapacity: true)
            pthread_mutex_unlock(mutex)

            for (transfer, cancelledEarly) in adding {
                let key = Int(bitPattern: transfer.easy)
                if cancelledEarly {
                    finish(transfer, .failure(CurlError(CURLE_ABORTED_BY_CALLBACK, "the call was cancelled")))
                    continue
                }
                let code = curl_multi_add_handle(multi, transfer.easy)
                guard code == CURLM_OK else {
                    finish(transfer, .failure(CurlError(code: Int32(CURLE_FAILED_INIT.rawValue),
                                                        message: String(cString: curl_multi_strerror(code)))))
                    continue
                }
                active[key] = transfer
            }
            for id in stopping {
                guard let (key, transfer) = active.first(where: { ObjectIdentifier($0.value) == id }) else { continue }
                curl_multi_remove_handle(multi, transfer.easy)
                active[key] = nil
                finish(transfer, .failure(CurlError(CURLE_ABORTED_BY_CALLBACK, "the call was cancelled")))
            }

            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                let key = Int(bitPattern: easy)
                curl_multi_remove_handle(multi, easy)
                guard let transfer = active.removeValue(forKey: key) else { continue }
                finish(transfer, transfer.result(code))
            }
            if !active.isEmpty {
                // Returns on socket activity, libcurl's next timeout, or curl_multi_wakeup.
                curl_multi_poll(multi, nil, 0, 1000, nil)
            }
        }
    }

    private func finish(_ transfer: Transfer, _ result: Result<TransferResult, CurlError>) {
        let continuation = transfer.continuation
        transfer.continuation = nil
        continuation?.resume(returning: result)
    }
}
