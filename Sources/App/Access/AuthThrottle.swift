internal import Glibc
internal import Synchronization

/// Failed authentications per client address: past `slowAfter` failures in a window each
/// answer is delayed a little more; past `blockAfter` the address gets 429 until the window
/// ends. Bounded: the table never holds more than `capacity` addresses.
final class AuthThrottle: Sendable {
    struct Entry {
        var windowStart: Int
        var failures: Int
    }

    enum Verdict: Equatable {
        case allow
        case delay(milliseconds: Int)
        case block(retryAfterSeconds: Int)
    }

    let window: Int
    let slowAfter: Int
    let blockAfter: Int
    let capacity: Int
    private let table = Mutex<[String: Entry]>([:])

    init(windowSeconds: Int = 60, slowAfter: Int = 5, blockAfter: Int = 20, capacity: Int = 10_000) {
        window = windowSeconds
        self.slowAfter = slowAfter
        self.blockAfter = blockAfter
        self.capacity = capacity
    }

    /// Before authenticating a request from `address`.
    func check(_ address: String, now: Int = Int(time(nil))) -> Verdict {
        table.withLock { table in
            guard let entry = table[address], now - entry.windowStart < window else { return .allow }
            if entry.failures >= blockAfter { return .block(retryAfterSeconds: max(1, entry.windowStart + window - now)) }
            if entry.failures >= slowAfter { return .delay(milliseconds: min(2000, 100 * (entry.failures - slowAfter + 1))) }
            return .allow
        }
    }

    /// After a failed authentication from `address`.
    func recordFailure(_ address: String, now: Int = Int(time(nil))) {
        table.withLock { table in
            if var entry = table[address], now - entry.windowStart < window {
                entry.failures += 1
                table[address] = entry
                return
            }
            if table.count >= capacity {
                // Forget expired windows first; if all are live, forget the oldest.
                table = table.filter { now - $0.value.windowStart < window }
                if table.count >= capacity, let oldest = table.min(by: { $0.value.windowStart < $1.value.windowStart }) {
                    table[oldest.key] = nil
                }
            }
            table[address] = Entry(windowStart: now, failures: 1)
        }
    }

    /// The address part of "address:port" (and "[v6]:port").
    static func address(of remote: String) -> String {
        if remote.hasPrefix("["), let close = remote.firstIndex(of: "]") { return String(remote[...close]) }
        if let colon = remote.lastIndex(of: ":") { return String(remote[..<colon]) }
        return remote
    }
}
