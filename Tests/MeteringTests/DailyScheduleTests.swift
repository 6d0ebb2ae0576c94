import FoundationEssentials
import FoundationInternationalization
import Metering
import Testing

/// Daily digest times on a zone's clock, across DST changes (Europe/Copenhagen: clocks go
/// forward 2026-03-29 02:00 → 03:00 and back 2026-10-25 03:00 → 02:00).
@Suite struct DailyScheduleTests {
    let cph = TimeZone(identifier: "Europe/Copenhagen")!

    /// Unix seconds of a UTC wall time.
    func utc(_ y: Int64, _ mo: Int64, _ d: Int64, _ h: Int64, _ mi: Int64) -> Int64 {
        CivilDate(year: y, month: mo, day: d).days * 86_400 + h * 3_600 + mi * 60
    }

    @Test func parsesAndPrintsHHMM() {
        #expect(DailySchedule(text: "12:20")?.minuteOfDay == 740)
        #expect(DailySchedule(text: "00:00")?.minuteOfDay == 0)
        #expect(DailySchedule(text: "23:59")?.text == "23:59")
        #expect(DailySchedule(minuteOfDay: 65)?.text == "01:05")
        for bad in ["24:00", "12:60", "1:20", "12-20", "12:2", "", "ab:cd", "12:200"] { #expect(DailySchedule(text: bad) == nil, "\(bad)") }
        #expect(DailySchedule(minuteOfDay: 1440) == nil)
    }

    @Test func laterTodayOrTomorrow() {
        let s = DailySchedule(text: "12:20")!
        // Winter (UTC+1): 12:20 local is 11:20Z.
        #expect(s.next(after: utc(2026, 11, 22, 9, 0), in: cph) == utc(2026, 11, 22, 11, 20))
        #expect(s.next(after: utc(2026, 11, 22, 11, 20), in: cph) == utc(2026, 11, 23, 11, 20))
        // Summer (UTC+2): 10:20Z.
        #expect(s.next(after: utc(2026, 7, 1, 12, 0), in: cph) == utc(2026, 7, 2, 10, 20))
        // Local midnight differs from UTC's: 23:30Z on 1 July is already 2 July locally.
        #expect(DailySchedule(text: "00:30")!.next(after: utc(2026, 7, 1, 21, 0), in: cph) == utc(2026, 7, 1, 22, 30))
        #expect(s.next(after: utc(2026, 11, 22, 9, 0), in: TimeZone(identifier: "UTC")!) == utc(2026, 11, 22, 12, 20))
    }

    @Test func acrossSpringForward() {
        // 12:20 on the day the clocks go forward is 10:20Z (already summer time).
        #expect(DailySchedule(text: "12:20")!.next(after: utc(2026, 3, 28, 12, 0), in: cph) == utc(2026, 3, 29, 10, 20))
        // 02:30 does not exist that day: it happens at the end of the gap, 03:00 local (01:00Z).
        let skipped = DailySchedule(text: "02:30")!
        #expect(skipped.next(after: utc(2026, 3, 28, 12, 0), in: cph) == utc(2026, 3, 29, 1, 0))
        // And the day after, at 02:30 summer time (00:30Z).
        #expect(skipped.next(after: utc(2026, 3, 29, 1, 0), in: cph) == utc(2026, 3, 30, 0, 30))
    }

    @Test func acrossFallBack() {
        // 02:30 happens twice on 25 October (00:30Z and 01:30Z): the digest goes at the first only.
        let twice = DailySchedule(text: "02:30")!
        let first = twice.next(after: utc(2026, 10, 24, 12, 0), in: cph)
        #expect(first == utc(2026, 10, 25, 0, 30))
        #expect(twice.next(after: first, in: cph) == utc(2026, 10, 26, 1, 30))
        // 12:20 that day is 11:20Z (winter time again).
        #expect(DailySchedule(text: "12:20")!.next(after: utc(2026, 10, 25, 0, 0), in: cph) == utc(2026, 10, 25, 11, 20))
    }

    @Test func localTimeText() {
        #expect(LocalTimeText.minutes(utc(2026, 11, 22, 9, 0), in: cph) == "2026-11-22 10:00")
        #expect(LocalTimeText.minutes(utc(2026, 7, 1, 22, 5), in: cph) == "2026-07-02 00:05")
    }
}
