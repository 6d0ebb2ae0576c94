internal import Synchronization

/// Wakes the event feed's waiters after a write that may have added events commits, so a
/// stream or a long poll answers at once instead of polling the database.
public final class CommitSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var nextToken: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        /// Tokens whose wait ended (cancelled, timed out) before it was registered.
        var ended: Set<UInt64> = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Changes with every signal; read it before looking, then wait for it to move on.
    public var generation: UInt64 { state.withLock { $0.generation } }

    public func signal() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.generation &+= 1
            guard !s.waiters.isEmpty else { return [] }
            defer { s.waiters.removeAll(keepingCapacity: true) }
            return Array(s.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the generation differs from `seen`, after `timeout`, or on cancellation.
    public func wait(after seen: UInt64, timeout: Duration) async {
        let token = state.withLock { s -> UInt64 in
            s.nextToken &+= 1
            return s.nextToken
        }
        let timer = Task { [weak self] in
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            self?.end(token)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { s -> Bool in
                    if s.generation != seen || s.ended.remove(token) != nil { return true }
                    s.waiters[token] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            end(token)
        }
        timer.cancel()
        state.withLock { _ = $0.ended.remove(token) }
    }

    private func end(_ token: UInt64) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if let waiter = s.waiters.removeValue(forKey: token) { return waiter }
            s.ended.insert(token)
            return nil
        }
        waiter?.resume()
    }
}
