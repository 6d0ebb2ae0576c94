internal import CShims
internal import Glibc

/// SIGTERM and SIGINT as something a thread can wait for. The C handler only writes to an
/// eventfd (async-signal-safe); the waiting happens outside the handler.
public enum ShutdownSignal {
    /// Installs the handlers; call once, early.
    public static func install() {
        fj_install_shutdown_signals()
    }

    /// Blocks the calling thread until SIGTERM or SIGINT arrives. Returns the signal number.
    public static func wait() -> Int32 {
        fj_wait_shutdown_signal()
    }

    /// Waits for SIGTERM or SIGINT without holding a thread of Swift's cooperative pool: the
    /// blocking wait happens on a thread of its own.
    public static func next() async -> Int32 {
        await withCheckedContinuation { continuation in
            let box = Unmanaged.passRetained(SignalWaiter(continuation)).toOpaque()
            var thread = pthread_t()
            let rc = pthread_create(&thread, nil, { raw in
                let waiter = Unmanaged<SignalWaiter>.fromOpaque(raw!).takeRetainedValue()
                waiter.continuation.resume(returning: ShutdownSignal.wait())
                return nil
            }, box)
            if rc == 0 {
                pthread_detach(thread)
            } else {
                Unmanaged<SignalWaiter>.fromOpaque(box).release()
                continuation.resume(returning: ShutdownSignal.wait())
            }
        }
    }

    /// Delivers a shutdown as if a signal had arrived (tests, admin commands).
    public static func trigger() {
        fj_trigger_shutdown_signal()
    }
}

private final class SignalWaiter: Sendable {
    let continuation: CheckedContinuation<Int32, Never>
    init(_ continuation: CheckedContinuation<Int32, Never>) { self.continuation = continuation }
}
