internal import Outbound
internal import Store

/// When a failed message is tried again: 30 s after the first failure, doubling (1 min, 2, 4,
/// ...) up to an hour, spread by ±10 % so messages that failed together do not retry together.
struct OutboxBackoff: Sendable, Equatable {
    var first: Int64 = 30_000
    var cap: Int64 = 3_600_000
    /// Attempts in all; a transient failure of the last one is final.
    var maxAttempts: Int = 8

    /// The delay (ms) after `attempt` (1-based) failed; `jitter` in 0...1 (0.5: the nominal delay).
    func delay(afterAttempt attempt: Int, jitter: Double) -> Int64 {
        let shift = min(max(attempt - 1, 0), 20)
        let nominal = min(first << Int64(shift), cap)
        return Int64((Double(nominal) * (0.9 + 0.2 * min(max(jitter, 0), 1))).rounded())
    }

    /// What to record after `attempt` (1-based) ended with `status`, and when to try again.
    func decision(attempt: Int, status: DeliveryOutcome.Status, now: Int64, jitter: Double) -> (outcome: OutboxAttemptOutcome, retryAt: Int64?) {
        switch status {
        case .delivered: (.delivered, nil)
        case .permanent: (.failed, nil)
        case .transient: attempt >= maxAttempts ? (.failed, nil) : (.retry, now + delay(afterAttempt: attempt, jitter: jitter))
        }
    }
}
