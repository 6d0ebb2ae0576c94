import Foundation
import Metering
import Testing

/// Alert periods against Calendar (ISO weeks, Monday first) and the incremental consumption.
struct AlertPeriodTests {
    /// Calendar's interval of `unit` around `t`, weeks as ISO 8601 (Monday first).
    static func reference(_ period: AlertPeriod, _ t: Int64, _ zone: TimeZone) -> Range<Int64> {
        var calendar = Calendar(identifier: period == .week ? .iso8601 : .gregorian)
        calendar.timeZone = zone
        let unit: Calendar.Component = switch period {
        case .hour: .hour
        case .day: .day
        case .week: .weekOfYear
        case .month: .month
        }
        let interval = calendar.dateInterval(of: unit, for: Date(timeIntervalSince1970: Double(t)))!
        return Int64(interval.start.timeIntervalSince1970)..<Int64(interval.end.timeIntervalSince1970)
    }

    @Test(arguments: ["UTC", "Europe/Copenhagen", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"])
    func periodsMatchCalendarAcrossAYear(_ name: String) {
        let tz = zone(name)
        // Every 7 hours and 13 minutes through 2026 (both DST changes, every weekday and month).
        var t = utc(2026, 1, 1)
        while t < utc(2027, 1, 10) {
            for period in AlertPeriod.allCases {
                #expect(period.bounds(containing: t, timeZone: tz) == Self.reference(period, t, tz), "\(period) \(name) \(t)")
            }
            t += 7 * 3_600 + 13 * 60
        }
    }

    @Test func aWeekStartsOnMondayAtLocalMidnight() {
        // Sunday 2026-03-29 is the day Copenhagen moves to summer time; its week began Monday the 23rd.
        let week = AlertPeriod.week.bounds(containing: utc(2026, 3, 29, 12), timeZone: zone("Europe/Copenhagen"))
        #expect(week == utc(2026, 3, 22, 23)..<utc(2026, 3, 29, 22))
        #expect(AlertPeriod.day.bounds(containing: utc(2026, 3, 29, 12), timeZone: zone("Europe/Copenhagen"))
                == utc(2026, 3, 28, 23)..<utc(2026, 3, 29, 22))
    }

    @Test func consumptionIsTheRiseSinceTheBaseline() {
        var c = PeriodConsumption(period: 0..<3_600, baseline: 100, baselineTime: -10)
        #expect(c.consumption == 0)
        let first = c.add(time: 10, value: 101.5)
        #expect(first)
        #expect(c.consumption == 1.5)
        // A late reading is ignored; a glitch downwards counts nothing and is not counted twice.
        let late = c.add(time: 5, value: 200)
        #expect(!late)
        let glitch = c.add(time: 20, value: 101)
        #expect(glitch)
        #expect(c.consumption == 1.5)
        let rise = c.add(time: 30, value: 102)
        #expect(rise)
        #expect(c.consumption == 2)
        let notANumber = c.add(time: 40, value: .nan)
        #expect(!notANumber)
    }

    @Test func aRolloverCountsOnFromZero() {
        var c = PeriodConsumption(period: 0..<3_600, baseline: 99_990, baselineTime: 0)
        c.add(time: 60, value: 99_998)
        c.add(time: 120, value: 12)
        #expect(c.consumption == 22)
        c.add(time: 180, value: 30)
        #expect(c.consumption == 40)
    }

    @Test func theNextPeriodStartsFromTheLastReading() {
        var c = PeriodConsumption(period: 0..<3_600, baseline: 10, baselineTime: 0)
        c.add(time: 3_000, value: 25)
        c.advance(to: 3_600..<7_200)
        #expect(c.period == 3_600..<7_200 && c.baseline == 25 && c.consumption == 0)
        c.add(time: 4_000, value: 27)
        #expect(c.consumption == 2)
    }
}
