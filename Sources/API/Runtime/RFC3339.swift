public import FoundationEssentials

/// RFC 3339 `date-time` in and out. In: any offset, any number of fraction digits.
/// Out: always UTC with exactly three fraction digits, so values sort as text and every
/// timestamp has one shape.
public enum RFC3339 {
    public static func parseDateTime(_ text: some StringProtocol) -> Date? {
        var b = Array(text.utf8)
        guard b.count >= 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b[10] | 0x20 == UInt8(ascii: "t"), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let year = CivilCalendar.digits(&b, 0, 4), let month = CivilCalendar.digits(&b, 5, 2),
              let day = CivilCalendar.digits(&b, 8, 2), let hour = CivilCalendar.digits(&b, 11, 2),
              let minute = CivilCalendar.digits(&b, 14, 2), let second = CivilCalendar.digits(&b, 17, 2),
              (1...12).contains(month), (1...CivilCalendar.daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60 else { return nil }
        var i = 19
        var fraction = 0.0
        if b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let digitsStart = i
            while i < b.count, b[i] &- UInt8(ascii: "0") < 10 {
                fraction += Double(b[i] - UInt8(ascii: "0")) * scale
                scale /= 10
                i += 1
            }
            guard i > digitsStart, i < b.count else { return nil }
        }
        var offsetSeconds = 0
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard i + 1 == b.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i + 6 == b.count, b[i + 3] == UInt8(ascii: ":"),
                  let offsetHours = CivilCalendar.digits(&b, i + 1, 2),
                  let offsetMinutes = CivilCalendar.digits(&b, i + 4, 2),
                  offsetHours < 24, offsetMinutes < 60 else { return nil }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Appends `2025-01-31T12:00:00.000Z`, rounding to the nearest millisecond.
    public static func appendDateTime(_ date: Date, to out: inout [UInt8]) {
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = milliseconds / 1000
        var millis = milliseconds % 1000
        if millis < 0 { millis += 1000; seconds -= 1 }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        let (year, month, day) = CivilCalendar.civil(fromDays: days)
        if (0..<10_000).contains(year) {
            appendFixedWidth(year: year, month: month, day: day, secondOfDay: secondOfDay, millis: millis, to: &out)
            return
        }
        CivilCalendar.append(year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        CivilCalendar.append(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        CivilCalendar.append(day, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        CivilCalendar.append(secondOfDay / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        CivilCalendar.append(secondOfDay / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        CivilCalendar.append(secondOfDay % 60, width: 2, to: &out)
        out.append(UInt8(ascii: "."))
        CivilCalendar.append(millis, width: 3, to: &out)
        out.append(UInt8(ascii: "Z"))
    }

    /// The 24 bytes of a four-digit year's timestamp built in a stack buffer and appended with
    /// one copy: hot lists (a year of hourly buckets) write two per element.
    private static func appendFixedWidth(year: Int, month: Int, day: Int, secondOfDay: Int, millis: Int,
                                         to out: inout [UInt8]) {
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { p in
            func pair(_ value: Int, _ at: Int) {
                p[at] = UInt8(truncatingIfNeeded: 48 + value / 10)
                p[at + 1] = UInt8(truncatingIfNeeded: 48 + value % 10)
            }
            pair(year / 100, 0)
            pair(year % 100, 2)
            p[4] = UInt8(ascii: "-")
            pair(month, 5)
            p[7] = UInt8(ascii: "-")
            pair(day, 8)
            p[10] = UInt8(ascii: "T")
            pair(secondOfDay / 3600, 11)
            p[13] = UInt8(ascii: ":")
            pair(secondOfDay / 60 % 60, 14)
            p[16] = UInt8(ascii: ":")
            pair(secondOfDay % 60, 17)
            p[19] = UInt8(ascii: ".")
            p[20] = UInt8(truncatingIfNeeded: 48 + millis / 100)
            pair(millis % 100, 21)
            p[23] = UInt8(ascii: "Z")
            out.append(contentsOf: UnsafeRawBufferPointer(p))
        }
    }

    public static func formatDateTime(_ date: Date) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        appendDateTime(date, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
