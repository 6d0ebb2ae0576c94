internal import CShims
internal import Glibc
internal import Synchronization

/// What every event loop of one server shares: immutable settings and a few atomics.
final class ServerCore: Sendable {
    let configuration: HTTPServerConfiguration
    let responder: any HTTPResponder
    let log: any LogSink
    let workers: WorkerPool
    /// Requests being handled, server-wide (bounded by maxInFlightRequests).
    let inFlight = Atomic<Int>(0)
    let connections = Atomic<Int>(0)
    /// Streamed responses being sent (bounded by maxStreams).
    let streams = Atomic<Int>(0)
    let draining = Atomic<Bool>(false)
    /// Random per process, so generated request ids do not repeat across restarts.
    let requestIDPrefix: String

    init(configuration: HTTPServerConfiguration, responder: any HTTPResponder, log: any LogSink,
         workers: WorkerPool) {
        self.configuration = configuration
        self.workers = workers
        self.responder = responder
        self.log = log
        var random: UInt32 = 0
        withUnsafeMutableBytes(of: &random) { _ = fj_getrandom($0.baseAddress, 4) }
        requestIDPrefix = String(String(random | 0x10_0000, radix: 16).suffix(5))
    }
}

@inline(__always) func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

extension Duration {
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        return UInt64(max(0, seconds)) &* 1_000_000_000 &+ UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
