/// A `date` (RFC 3339 full-date) with no time or zone, so "2025-01-31" never shifts a day
/// when a server and a client disagree about time zones.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// nil when the day does not exist (2025-02-29).
    public init?(year: Int, month: Int, day: Int) {
        guard (0...9999).contains(year), (1...12).contains(month),
              (1...CivilCalendar.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(_ text: some StringProtocol) {
        var utf8 = Array(text.utf8)
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
              let year = CivilCalendar.digits(&utf8, 0, 4), let month = CivilCalendar.digits(&utf8, 5, 2),
              let day = CivilCalendar.digits(&utf8, 8, 2) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public var description: String {
        var out: [UInt8] = []
        out.reserveCapacity(10)
        CivilCalendar.append(year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        CivilCalendar.append(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        CivilCalendar.append(day, width: 2, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// Proleptic Gregorian arithmetic on plain integers: no Calendar, no time zone database.
enum CivilCalendar {
    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `days(year:month:day:)`.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func digits(_ bytes: inout [UInt8], _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for i in start..<start + count {
            let digit = bytes[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// Zero-padded decimal; unrolled because it runs for every timestamp written.
    static func append(_ value: Int, width: Int, to out: inout [UInt8]) {
        let zero = UInt8(ascii: "0")
        switch width {
        case 2 where (0..<100).contains(value):
            out.append(zero + UInt8(value / 10))
            out.append(zero + UInt8(value % 10))
        case 3 where (0..<1000).contains(value):
            out.append(zero + UInt8(value / 100))
            out.append(zero + UInt8(value / 10 % 10))
            out.append(zero + UInt8(value % 10))
        case 4 where (0..<10000).contains(value):
            out.append(zero + UInt8(value / 1000))
            out.append(zero + UInt8(value / 100 % 10))
            out.append(zero + UInt8(value / 10 % 10))
            out.append(zero + UInt8(value % 10))
        default: // out of the field's range (year 10000, negative years): every digit, unpadded
            out.append(contentsOf: String(value).utf8)
        }
    }
}
