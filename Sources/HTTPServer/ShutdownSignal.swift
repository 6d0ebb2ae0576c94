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

    /// Delivers a shutdown as if a signal had arrived (tests, admin commands).
    public static func trigger() {
        fj_trigger_shutdown_signal()
    }
}
