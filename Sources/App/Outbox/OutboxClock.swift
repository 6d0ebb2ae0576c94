internal import FoundationEssentials

/// The worker's sense of time and chance, injectable so tests can assert backoff times.
protocol OutboxClock: Sendable {
    /// Unix milliseconds.
    func now() -> Int64
    /// Uniform in 0...1, for the retry jitter.
    func jitter() -> Double
}

struct SystemOutboxClock: OutboxClock {
    func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
    func jitter() -> Double { Double.random(in: 0...1) }
}
