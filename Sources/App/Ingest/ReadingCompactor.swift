internal import Store
internal import Synchronization

/// Moves readings from the log into per-meter blocks in the background (Store+readings): rows
/// older than the duplicate window while ingest runs, everything once ingest has been idle a
/// few seconds. Then the freed pages go back to the file system.
final class ReadingCompactor: Sendable {
    static let tick = Duration.seconds(1)
    /// Rows this many ticks old are past ReadingWriter's duplicate window (120 s).
    static let ageTicks = 125
    static let idleTicks = 3

    private let store: Store
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(store: Store) {
        self.store = store
    }

    func start() {
        let store = store
        let loop = Task.detached {
            var samples: [Int64] = []
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.tick)
                let last = store.lastLoggedRow
                samples.append(last)
                if samples.count > Self.ageTicks { samples.removeFirst(samples.count - Self.ageTicks) }
                guard store.loggedReadings > 0 else { continue }
                let idle = samples.count >= Self.idleTicks && samples.suffix(Self.idleTicks).allSatisfy { $0 == last }
                let through = idle ? last : (samples.count == Self.ageTicks ? samples[0] : 0)
                guard through > 0 else { continue }
                do {
                    var moved = 0
                    while !Task.isCancelled {
                        let n = try await store.compactReadings(throughRow: through)
                        if n == 0 { break }
                        moved += n
                    }
                    if moved > 0 { try await store.releaseFreePages() }
                } catch is CancellationError {
                    break // stopping: not a failure
                } catch {
                    AppLog.error("reading compaction failed", [("error", String(describing: error))])
                }
            }
        }
        task.withLock { $0 = loop }
    }

    func stop() async {
        guard let loop = task.withLock({ t -> Task<Void, Never>? in defer { t = nil }; return t }) else { return }
        loop.cancel()
        await loop.value
    }
}
