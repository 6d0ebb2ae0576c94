/// EN 13757-3 annex A date types: G (date, 2 B), F (date and time, 4 B), I (date and time with
/// seconds, 6 B), J (time of day, 3 B). Invalid markers and impossible fields decode as `.null`.
enum DateTypes {
    /// Two-digit years as libmbus reads them: 0-80 in the 2000s, 81-99 in the 1900s, unless
    /// type F/I carries hundred-year bits.
    static func year(_ yy: Int, hundredYears: Int) -> Int {
        if hundredYears != 0 { return 1900 + 100 * hundredYears + yy }
        return yy <= 80 ? 2000 + yy : 1900 + yy
    }

    /// The date bits shared by G, F and I: day + low year bits in `a`, month + high year bits in `b`.
    static func date(_ a: UInt8, _ b: UInt8, hundredYears: Int) -> MeterDate? {
        let day = Int(a & 0x1F)
        let month = Int(b & 0x0F)
        let yy = Int((a & 0xE0) >> 5) | Int((b & 0xF0) >> 1)
        guard day >= 1, day <= 31, month >= 1, month <= 12, yy <= 99 else { return nil }
        return MeterDate(year: year(yy, hundredYears: hundredYears), month: month, day: day)
    }

    static func typeG(_ b0: UInt8, _ b1: UInt8) -> RecordValue {
        guard let date = date(b0, b1, hundredYears: 0) else { return .null }
        return .date(date)
    }

    static func typeF(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) -> RecordValue {
        guard b0 & 0x80 == 0 else { return .null }  // IV: invalid
        let minute = Int(b0 & 0x3F)
        let hour = Int(b1 & 0x1F)
        guard minute <= 59, hour <= 23,
              let date = date(b2, b3, hundredYears: Int((b1 >> 5) & 0x03)) else { return .null }
        return .dateTime(MeterDateTime(date: date, hour: hour, minute: minute, summerTime: b1 & 0x80 != 0))
    }

    static func typeI(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> RecordValue {
        guard p[i + 1] & 0x80 == 0 else { return .null }  // IV: invalid
        let second = Int(p[i] & 0x3F)
        let minute = Int(p[i + 1] & 0x3F)
        let hour = Int(p[i + 2] & 0x1F)
        guard second <= 59, minute <= 59, hour <= 23,
              let date = date(p[i + 3], p[i + 4], hundredYears: 0) else { return .null }
        return .dateTime(MeterDateTime(date: date, hour: hour, minute: minute, second: second,
                                       summerTime: p[i + 5] & 0x40 != 0))
    }

    /// Type J, time of day: seconds since midnight (there is no date to attach it to).
    static func typeJ(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8) -> RecordValue {
        let second = Int64(b0 & 0x3F), minute = Int64(b1 & 0x3F), hour = Int64(b2 & 0x1F)
        guard second <= 59, minute <= 59, hour <= 23 else { return .null }
        return .integer(hour * 3600 + minute * 60 + second)
    }

    // MARK: encoding (inverse of the above)

    /// Day/month/year bits and the hundred-year field, or nil when the year cannot be sent.
    static func encodeDate(_ date: MeterDate, allowHundredYears: Bool) -> (a: UInt8, b: UInt8, hy: UInt8)? {
        guard date.day >= 1, date.day <= 31, date.month >= 1, date.month <= 12 else { return nil }
        var hy = 0
        let yy: Int
        if date.year >= 1981, date.year <= 2080 {
            // Hundred-year bits 0, as most meters in the libmbus corpus send them.
            yy = date.year % 100
        } else if allowHundredYears, date.year >= 2000, date.year <= 2299 {
            yy = date.year % 100
            hy = (date.year - 1900) / 100
        } else {
            return nil
        }
        let a = UInt8(date.day) | UInt8((yy & 0x07) << 5)
        let b = UInt8(date.month) | UInt8((yy & 0x78) << 1)
        return (a, b, UInt8(hy))
    }
}
