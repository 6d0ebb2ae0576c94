/// A connection's received bytes: the kernel reads straight into its free tail and the parser
/// reads its unconsumed middle, so request bytes are never copied before parsing.
final class InputBuffer {
    private var storage: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private var start = 0
    private var end = 0

    init(capacity: Int = 4096) {
        self.capacity = capacity
        storage = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    var count: Int { end - start }
    var isEmpty: Bool { start == end }

    var readable: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage + start, count: end - start) }

    func consume(_ n: Int) {
        start += n
        if start == end {
            start = 0
            end = 0
        }
    }

    /// Free space of at least `minimum` bytes at the tail, moving or growing as needed.
    func writable(minimum: Int) -> UnsafeMutableRawBufferPointer {
        if capacity - end < minimum {
            if start > 0 {
                (storage).copyMemory(from: storage + start, byteCount: end - start)
                end -= start
                start = 0
            }
            if capacity - end < minimum {
                var newCapacity = capacity * 2
                while newCapacity - end < minimum { newCapacity *= 2 }
                let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
                grown.copyMemory(from: storage, byteCount: end)
                storage.deallocate()
                storage = grown
                capacity = newCapacity
            }
        }
        return UnsafeMutableRawBufferPointer(start: storage + end, count: capacity - end)
    }

    func commit(_ n: Int) { end += n }

    /// Gives memory back after a large upload, so idle keep-alive connections stay small.
    func shrinkIfIdle(to size: Int = 4096) {
        guard isEmpty, capacity > size * 4 else { return }
        storage.deallocate()
        storage = .allocate(byteCount: size, alignment: 16)
        capacity = size
    }
}
