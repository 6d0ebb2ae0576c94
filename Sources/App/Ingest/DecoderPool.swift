internal import MBus
internal import Synchronization

/// `TelegramDecoder`s are per thread (each holds cipher contexts); requests borrow one. All
/// share one compact-format registry, so a format learnt from any meter's full frame serves
/// every request.
final class DecoderPool: Sendable {
    let formats = CompactFormatRegistry()
    private let idle = Mutex<[UnsafeDecoder]>([])

    /// A decoder moves between threads only through the mutex, never used by two at once.
    struct UnsafeDecoder: @unchecked Sendable {
        let decoder: TelegramDecoder
    }

    func withDecoder<T>(_ body: (TelegramDecoder) throws -> T) rethrows -> T {
        let borrowed = idle.withLock { $0.popLast() } ?? UnsafeDecoder(decoder: TelegramDecoder(formats: formats))
        defer { idle.withLock { $0.append(borrowed) } }
        return try body(borrowed.decoder)
    }
}
