internal import Synchronization

/// Hands out reader connections by index; callers wait (in FIFO order) when all are busy.
///
/// A lock and continuations rather than an actor: acquiring and releasing is a few
/// instructions, and an extra actor hop per read would cost more than the lock.
final class ReaderSlots: Sendable {
    private struct State: ~Copyable {
        var free: [Int]
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Int, any Error>)] = []
        var nextWaiter: UInt64 = 0
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(free: Array((0..<count).reversed())))
    }

    /// Waits for a free reader. Cancellation while waiting throws `CancellationError`.
    func acquire() async throws -> Int {
        if let index = state.withLock({ $0.free.popLast() }) { return index }
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                state.withLock { state in
                    // Checked under the lock the cancel handler takes, so a cancel cannot slip
                    // between this check and the append.
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else if let index = state.free.popLast() {
                        continuation.resume(returning: index)
                    } else {
                        state.waiters.append((id, continuation))
                    }
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Int, any Error>? in
                guard let position = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: position).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Returns a reader: straight to the longest waiter, or to the free list.
    func release(_ index: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Int, any Error>? in
            guard !state.waiters.isEmpty else {
                state.free.append(index)
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        waiter?.resume(returning: index)
    }
}
