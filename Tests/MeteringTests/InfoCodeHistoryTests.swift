import Foundation
import Metering
import Testing

@Suite struct InfoCodeHistoryTests {
    typealias Interval = InfoCodeHistory.Interval
    let utc = TimeZone(identifier: "UTC")!
    let copenhagen = TimeZone(identifier: "Europe/Copenhagen")!
    /// 2026-11-22T12:00:00Z.
    let now: Int64 = 1_795_348_800
    let day: Int64 = 86_400

    @Test func noOccurrenceNoDay() {
        #expect(InfoCodeHistory.activeDays([], now: now, zone: utc) == 0)
    }

    @Test func activeForLongerThanTheWindowIsEveryDay() {
        #expect(InfoCodeHistory.activeDays([Interval(raised: now - 40 * day, cleared: nil)], now: now, zone: utc) == 30)
        // Across the end of summer time (2026-10-25): still 30 local days.
        let november10: Int64 = 1_794_312_000
        #expect(InfoCodeHistory.activeDays([Interval(raised: november10 - 60 * day, cleared: nil)], now: november10,
                                           zone: copenhagen) == 30)
    }

    @Test func anIntervalCountsEachDayItTouches() {
        // 2026-11-21 23:30 to 2026-11-22 00:30 UTC: two days.
        let raised = now - 12 * 3600 - 1800
        #expect(InfoCodeHistory.activeDays([Interval(raised: raised, cleared: raised + 3600)], now: now, zone: utc) == 2)
        // Cleared exactly at midnight: the new day is not touched.
        #expect(InfoCodeHistory.activeDays([Interval(raised: raised, cleared: raised + 1800)], now: now, zone: utc) == 1)
        // Raised and cleared in the same second still marks its day.
        #expect(InfoCodeHistory.activeDays([Interval(raised: raised, cleared: raised)], now: now, zone: utc) == 1)
    }

    @Test func daysAreTheTenantsLocalDays() {
        // 2026-11-21 23:30-23:50 UTC is 00:30-00:50 on the 22nd in Copenhagen (UTC+1), like 10:00 UTC on the 22nd.
        let late = Interval(raised: now - 12 * 3600 - 1800, cleared: now - 12 * 3600 - 600)
        let morning = Interval(raised: now - 2 * 3600, cleared: now - 3600)
        #expect(InfoCodeHistory.activeDays([late, morning], now: now, zone: utc) == 2)
        #expect(InfoCodeHistory.activeDays([late, morning], now: now, zone: copenhagen) == 1)
    }

    @Test func onlyTheWindowCountsAndOverlapsCountOnce() {
        let old = Interval(raised: now - 50 * day, cleared: now - 31 * day)
        #expect(InfoCodeHistory.activeDays([old], now: now, zone: utc) == 0)
        // From 35 days ago to 20 days ago: window days 29 ... 20 days before today = 10 days.
        let straddling = Interval(raised: now - 35 * day, cleared: now - 20 * day)
        #expect(InfoCodeHistory.activeDays([straddling], now: now, zone: utc) == 10)
        let inside = Interval(raised: now - 25 * day, cleared: now - 22 * day)
        #expect(InfoCodeHistory.activeDays([straddling, inside], now: now, zone: utc) == 10)
        let future = Interval(raised: now + day, cleared: nil)
        #expect(InfoCodeHistory.activeDays([future], now: now, zone: utc) == 0)
    }

    @Test func summaryUsesTheMetersSteps() {
        #expect(InfoCodeHistory.summary(title: "Leak", days: 22) == "Leak has been recorded for more than 21 days within the last 30 days")
        #expect(InfoCodeHistory.summary(title: "Leak", days: 30) == "Leak has been recorded for more than 21 days within the last 30 days")
        #expect(InfoCodeHistory.summary(title: "Burst", days: 21) == "Burst has been recorded for more than 14 days within the last 30 days")
        #expect(InfoCodeHistory.summary(title: "Dry", days: 8) == "Dry has been recorded for more than 7 days within the last 30 days")
        #expect(InfoCodeHistory.summary(title: "Dry", days: 4) == "Dry has been recorded for more than 3 days within the last 30 days")
        #expect(InfoCodeHistory.summary(title: "Dry", days: 2) == "Dry has been recorded for more than 1 day within the last 30 days")
        #expect(InfoCodeHistory.summary(title: "Air", days: 1) == "Air has been recorded on 1 day within the last 30 days")
        #expect(InfoCodeHistory.summary(title: "Air", days: 0) == nil)
    }
}
