internal import HTTPServer
public import FoundationEssentials

/// Appends JSON straight into a byte buffer. Generated `writeJSON(to:)` methods drive it;
/// keys arrive pre-escaped from the generator, so the hot path is mostly `append(contentsOf:)`.
public struct JSONWriter: Sendable {
    public var bytes: [UInt8]
    /// `"YYYY-MM-DDT` of the last day a timestamp was written on (12 bytes with the quote):
    /// lists of timestamps (a year of hourly buckets writes 17,520) mostly repeat their day.
    private var cachedDay = Int.min
    private var cachedDayPrefix: (UInt64, UInt64) = (0, 0)

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() { bytes.append(UInt8(ascii: "{")) }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")) }
    public mutating func beginArray() { bytes.append(UInt8(ascii: "[")) }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")) }

    /// Writes `"name":` (already escaped, colon included) with a comma unless it is the first
    /// member: the previous byte tells, so no state is needed.
    public mutating func key(_ escapedKeyAndColon: StaticString) {
        if let last = bytes.last, last != UInt8(ascii: "{") { bytes.append(UInt8(ascii: ",")) }
        escapedKeyAndColon.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A key known only at run time (dictionary entries). Named apart from `key(_:)` so a
    /// string literal never picks this slower, escaping overload.
    public mutating func dynamicKey(_ name: String) {
        if let last = bytes.last, last != UInt8(ascii: "{") { bytes.append(UInt8(ascii: ",")) }
        appendJSONString(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Separates array elements.
    public mutating func elementSeparator() {
        if let last = bytes.last, last != UInt8(ascii: "[") { bytes.append(UInt8(ascii: ",")) }
    }

    public mutating func null() { append("null") }
    public mutating func bool(_ value: Bool) { append(value ? "true" : "false") }
    /// Most strings need no escaping: copy those in one go and leave the rest to the shared escaper.
    public mutating func string(_ value: String) {
        let copied: Bool? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F {
                return false
            }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return true
        }
        if copied != true { appendJSONString(value, to: &bytes) }
    }

    public mutating func int(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            // Through the magnitude so Int.min does not overflow.
            appendDigits(value.magnitude)
        } else {
            appendDigits(UInt(value))
        }
    }

    /// Digits that round-trip: Swift's shortest `description`, except for the common values
    /// with at most six decimals (meter readings, consumption), written straight from their
    /// integer millionths without building a String (`12.5`, `7564.0`). JSON has no NaN or
    /// infinity, so those become null rather than invalid output.
    public mutating func double(_ value: Double) {
        guard value.isFinite else { return null() }
        let magnitude = abs(value)
        if magnitude < 1e9 {
            let millionths = (magnitude * 1_000_000).rounded()
            // Exact when dividing back gives the value: the decimal then names this very double.
            if millionths / 1_000_000 == magnitude {
                let units = UInt(millionths)
                if value < 0 { bytes.append(UInt8(ascii: "-")) }
                appendDigits(units / 1_000_000)
                bytes.append(UInt8(ascii: "."))
                var fraction = units % 1_000_000
                if fraction == 0 {
                    bytes.append(UInt8(ascii: "0"))
                    return
                }
                var width = 6
                while fraction % 10 == 0 {
                    fraction /= 10
                    width -= 1
                }
                var divisor: UInt = 1
                for _ in 1..<width { divisor *= 10 }
                while divisor > 0 {
                    bytes.append(UInt8(ascii: "0") + UInt8(fraction / divisor % 10))
                    divisor /= 10
                }
                return
            }
        }
        for byte in value.description.utf8 { bytes.append(byte) }
    }

    public mutating func dateTime(_ value: Date) {
        let milliseconds = Int((value.timeIntervalSince1970 * 1000).rounded())
        let seconds = milliseconds.floorDivided(by: 1000)
        let days = seconds.floorDivided(by: 86_400)
        // Years 0000-9999 (four digits); the rest go the general way.
        guard (-719_528...2_932_896).contains(days) else {
            bytes.append(UInt8(ascii: "\""))
            RFC3339.appendDateTime(value, to: &bytes)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        if days != cachedDay {
            let (year, month, day) = CivilCalendar.civil(fromDays: days)
            cachedDay = days
            withUnsafeMutableBytes(of: &cachedDayPrefix) { p in
                p[0] = UInt8(ascii: "\"")
                Self.pair(year / 100, p, 1)
                Self.pair(year % 100, p, 3)
                p[5] = UInt8(ascii: "-")
                Self.pair(month, p, 6)
                p[8] = UInt8(ascii: "-")
                Self.pair(day, p, 9)
                p[11] = UInt8(ascii: "T")
            }
        }
        let secondOfDay = seconds - days * 86_400
        let millis = milliseconds - seconds * 1000
        // `"YYYY-MM-DDTHH:MM:SS.mmmZ"`: 26 bytes built on the stack, appended with one copy.
        var buffer: (UInt64, UInt64, UInt64, UInt64) = (cachedDayPrefix.0, cachedDayPrefix.1, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { p in
            Self.pair(secondOfDay / 3600, p, 12)
            p[14] = UInt8(ascii: ":")
            Self.pair(secondOfDay / 60 % 60, p, 15)
            p[17] = UInt8(ascii: ":")
            Self.pair(secondOfDay % 60, p, 18)
            p[20] = UInt8(ascii: ".")
            p[21] = UInt8(truncatingIfNeeded: 48 + millis / 100)
            Self.pair(millis % 100, p, 22)
            p[24] = UInt8(ascii: "Z")
            p[25] = UInt8(ascii: "\"")
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[0..<26]))
        }
    }

    private static func pair(_ value: Int, _ p: UnsafeMutableRawBufferPointer, _ at: Int) {
        p[at] = UInt8(truncatingIfNeeded: 48 + value / 10)
        p[at + 1] = UInt8(truncatingIfNeeded: 48 + value % 10)
    }

    public mutating func uuid(_ value: UUID) {
        bytes.append(UInt8(ascii: "\""))
        value.appendLowercase(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func value<T: JSONWritable>(_ value: T) { value.writeJSON(to: &self) }

    mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func appendDigits(_ value: UInt) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes hold any UInt64 in decimal
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &buffer) { raw in
            while rest > 0 {
                count += 1
                raw[24 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[(24 - count)...]))
        }
    }
}

extension Int {
    /// Division rounding toward minus infinity (times before 1970 land on the right day).
    fileprivate func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return self % divisor < 0 ? quotient - 1 : quotient
    }
}
