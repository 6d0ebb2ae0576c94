internal import FoundationEssentials
internal import Store
internal import Synchronization

/// Removes events older than the retention in the background, in small batches so the writer
/// is never held for long (each batch is one short write transaction).
final class EventPruner: Sendable {
    static let tick = Duration.seconds(60)
    static let batch = 2_000

    private let store: Store
    private let retentionMillis: Int64
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(store: Store, retentionDays: Int) {
        self.store = store
        retentionMillis = Int64(retentionDays) * 86_400_000
    }

    func start() {
        let store = store, retention = retentionMillis
        let loop = Task.detached {
            while !Task.isCancelled {
                do {
                    try await Self.prune(store, retentionMillis: retention)
                } catch is CancellationError {
                    break // stopping: not a failure
                } catch {
                    AppLog.error("event pruning failed", [("error", String(describing: error))])
                }
                try? await Task.sleep(for: Self.tick)
            }
        }
        task.withLock { $0 = loop }
    }

    /// Prunes until nothing older than the retention is left (or the task is cancelled).
    static func prune(_ store: Store, retentionMillis: Int64, now: Int64 = Int64((Date().timeIntervalSince1970 * 1000).rounded())) async throws {
        let cutoff = now - retentionMillis
        while !Task.isCancelled {
            let removed = try await store.pruneEvents(before: cutoff, batch: batch)
            if removed == 0 { break }
            await Task.yield()
        }
    }

    func stop() async {
        guard let loop = task.withLock({ t -> Task<Void, Never>? in defer { t = nil }; return t }) else { return }
        loop.cancel()
        await loop.value
    }
}
