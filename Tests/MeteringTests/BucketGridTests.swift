import Foundation
import Metering
import Testing

/// Unix seconds of a UTC wall time (via Calendar: independent of the grid's own arithmetic).
func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Int64 {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    return Int64(date.timeIntervalSince1970)
}

func zone(_ identifier: String) -> TimeZone { TimeZone(identifier: identifier)! }

/// The boundaries Calendar gives, walking interval by interval: the reference the fast grid
/// must match exactly.
func calendarBoundaries(from: Int64, to: Int64, resolution: Resolution, timeZone: TimeZone) -> [Int64] {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let unit: Calendar.Component = switch resolution {
    case .hour: .hour
    case .day: .day
    case .month: .month
    case .year: .year
    case .fiveMinutes, .fifteenMinutes: .minute
    }
    var out: [Int64] = []
    var date = Date(timeIntervalSince1970: Double(from))
    while true {
        let interval = calendar.dateInterval(of: unit, for: date)!
        if out.isEmpty { out.append(Int64(interval.start.timeIntervalSince1970)) }
        let end = Int64(interval.end.timeIntervalSince1970)
        out.append(end)
        if end >= to { return out }
        date = interval.end
    }
}

@Suite struct BucketGridTests {
    @Test func hoursAcrossSpringForwardInCopenhagen() throws {
        // 2026-03-29: 02:00 CET -> 03:00 CEST. The local day has 23 hours.
        let from = utc(2026, 3, 28, 23), to = utc(2026, 3, 29, 22)
        let grid = try BucketGrid(from: from, to: to, resolution: .hour, timeZone: zone("Europe/Copenhagen"))
        #expect(grid.count == 23)
        #expect(grid.boundaries.first == from && grid.boundaries.last == to)
        for i in 0..<grid.count { #expect(grid.boundaries[i + 1] - grid.boundaries[i] == 3_600) }
    }

    @Test func daysAreTwentyThreeAndTwentyFiveHoursAcrossDaylightSaving() throws {
        let copenhagen = zone("Europe/Copenhagen")
        let spring = try BucketGrid(from: utc(2026, 3, 28, 23), to: utc(2026, 3, 29, 22), resolution: .day, timeZone: copenhagen)
        #expect(spring.boundaries == [utc(2026, 3, 28, 23), utc(2026, 3, 29, 22)])
        let autumn = try BucketGrid(from: utc(2026, 10, 24, 22), to: utc(2026, 10, 25, 23), resolution: .day, timeZone: copenhagen)
        #expect(autumn.boundaries == [utc(2026, 10, 24, 22), utc(2026, 10, 25, 23)])
        // New York: 2026-03-08 (23 h) and 2026-11-01 (25 h); a week around each.
        let newYork = zone("America/New_York")
        let march = try BucketGrid(from: utc(2026, 3, 6, 12), to: utc(2026, 3, 10, 12), resolution: .day, timeZone: newYork)
        #expect(march.boundaries == [utc(2026, 3, 6, 5), utc(2026, 3, 7, 5), utc(2026, 3, 8, 5), utc(2026, 3, 9, 4),
                                     utc(2026, 3, 10, 4), utc(2026, 3, 11, 4)])
        let lengths = zip(march.boundaries.dropFirst(), march.boundaries).map { $0 - $1 }
        #expect(lengths == [86_400, 86_400, 82_800, 86_400, 86_400])
        let november = try BucketGrid(from: utc(2026, 11, 1, 4), to: utc(2026, 11, 2, 5), resolution: .day, timeZone: newYork)
        #expect(november.boundaries == [utc(2026, 11, 1, 4), utc(2026, 11, 2, 5)])
    }

    @Test func hoursAcrossFallBackInNewYorkRepeatTheLocalHour() throws {
        // 2026-11-01: 02:00 EDT -> 01:00 EST; the local day has 25 one-hour buckets.
        let grid = try BucketGrid(from: utc(2026, 11, 1, 4), to: utc(2026, 11, 2, 5), resolution: .hour,
                                  timeZone: zone("America/New_York"))
        #expect(grid.count == 25)
        for i in 0..<grid.count { #expect(grid.boundaries[i + 1] - grid.boundaries[i] == 3_600) }
    }

    @Test func fromIsFlooredAndToCeiled() throws {
        let copenhagen = zone("Europe/Copenhagen")
        let hour = try BucketGrid(from: utc(2026, 6, 1, 10, 17), to: utc(2026, 6, 1, 12, 1), resolution: .hour, timeZone: copenhagen)
        #expect(hour.boundaries == [utc(2026, 6, 1, 10), utc(2026, 6, 1, 11), utc(2026, 6, 1, 12), utc(2026, 6, 1, 13)])
        let month = try BucketGrid(from: utc(2026, 2, 10), to: utc(2026, 4, 2), resolution: .month, timeZone: copenhagen)
        // 1 February and 1 March are CET (+1), 1 April and 1 May CEST (+2).
        #expect(month.boundaries == [utc(2026, 1, 31, 23), utc(2026, 2, 28, 23), utc(2026, 3, 31, 22), utc(2026, 4, 30, 22)])
        let year = try BucketGrid(from: utc(2026, 7, 1), to: utc(2027, 1, 1), resolution: .year, timeZone: copenhagen)
        #expect(year.boundaries == [utc(2025, 12, 31, 23), utc(2026, 12, 31, 23), utc(2027, 12, 31, 23)])
        let minutes = try BucketGrid(from: utc(2026, 6, 1, 10, 7), to: utc(2026, 6, 1, 10, 31), resolution: .fifteenMinutes,
                                     timeZone: copenhagen)
        #expect(minutes.boundaries == [utc(2026, 6, 1, 10), utc(2026, 6, 1, 10, 15), utc(2026, 6, 1, 10, 30), utc(2026, 6, 1, 10, 45)])
        let five = try BucketGrid(from: utc(2026, 6, 1, 10), to: utc(2026, 6, 1, 10, 10), resolution: .fiveMinutes, timeZone: copenhagen)
        #expect(five.boundaries == [utc(2026, 6, 1, 10), utc(2026, 6, 1, 10, 5), utc(2026, 6, 1, 10, 10)])
    }

    @Test func halfAndQuarterHourZonesKeepLocalHours() throws {
        // Kolkata +05:30, Kathmandu +05:45: local hours start at :30 and :15 UTC.
        let kolkata = try BucketGrid(from: utc(2026, 1, 1, 0), to: utc(2026, 1, 1, 3), resolution: .hour, timeZone: zone("Asia/Kolkata"))
        #expect(kolkata.boundaries == [utc(2025, 12, 31, 23, 30), utc(2026, 1, 1, 0, 30), utc(2026, 1, 1, 1, 30),
                                       utc(2026, 1, 1, 2, 30), utc(2026, 1, 1, 3, 30)])
        let kathmandu = try BucketGrid(from: utc(2026, 1, 1, 0, 15), to: utc(2026, 1, 1, 1, 15), resolution: .hour,
                                       timeZone: zone("Asia/Kathmandu"))
        #expect(kathmandu.boundaries == [utc(2026, 1, 1, 0, 15), utc(2026, 1, 1, 1, 15)])
        // Adelaide +09:30/+10:30: the local day of 2026-04-05 (DST ends) has 25 hours.
        let adelaide = try BucketGrid(from: utc(2026, 4, 4, 13, 30), to: utc(2026, 4, 5, 14, 30), resolution: .day,
                                      timeZone: zone("Australia/Adelaide"))
        #expect(adelaide.boundaries == [utc(2026, 4, 4, 13, 30), utc(2026, 4, 5, 14, 30)])
    }

    @Test(arguments: ["Europe/Copenhagen", "America/New_York", "Asia/Kolkata", "Australia/Adelaide", "Asia/Kathmandu",
                      "Australia/Lord_Howe", "America/Santiago", "Europe/Moscow", "Pacific/Apia", "UTC"])
    func matchesCalendar(identifier: String) throws {
        let timeZone = zone(identifier)
        // Years with odd transitions: Moscow 2011/2014, Apia skipped 2011-12-30, Santiago at midnight.
        for (from, to) in [(utc(2010, 6, 3, 7, 11), utc(2016, 2, 1)), (utc(2026, 1, 1), utc(2027, 1, 1, 0, 1))] {
            for resolution in [Resolution.day, .month, .year] {
                let grid = try BucketGrid(from: from, to: to, resolution: resolution, timeZone: timeZone)
                #expect(grid.boundaries == calendarBoundaries(from: from, to: to, resolution: resolution, timeZone: timeZone),
                        "\(identifier) \(resolution)")
            }
        }
        let from = utc(2026, 1, 1), to = utc(2027, 1, 1)
        let hours = try BucketGrid(from: from, to: to, resolution: .hour, timeZone: timeZone)
        #expect(hours.boundaries == calendarBoundaries(from: from, to: to, resolution: .hour, timeZone: timeZone), "\(identifier)")
    }

    @Test(arguments: ["Europe/Moscow", "Pacific/Apia", "America/Santiago", "Australia/Lord_Howe"])
    func hoursMatchCalendarInYearsWithOddTransitions(identifier: String) throws {
        // Moscow moved its standard offset in 2011 and 2014, Apia skipped 2011-12-30.
        let timeZone = zone(identifier)
        let from = utc(2011, 1, 1), to = utc(2015, 1, 1)
        let grid = try BucketGrid(from: from, to: to, resolution: .hour, timeZone: timeZone)
        #expect(grid.boundaries == calendarBoundaries(from: from, to: to, resolution: .hour, timeZone: timeZone))
    }

    @Test func rejectsEmptyRangesHugeGridsAndImpossibleTimes() {
        let utcZone = zone("UTC")
        #expect(throws: ConsumptionError.emptyRange) {
            try BucketGrid(from: 1_000, to: 1_000, resolution: .hour, timeZone: utcZone)
        }
        #expect(throws: ConsumptionError.emptyRange) {
            try BucketGrid(from: 2_000, to: 1_000, resolution: .day, timeZone: utcZone)
        }
        #expect(throws: ConsumptionError.tooManyBuckets(limit: 100_000)) {
            try BucketGrid(from: utc(2000, 1, 1), to: utc(2026, 1, 1), resolution: .hour, timeZone: utcZone)
        }
        // Just over the limit (the exact count, not the quick estimate, decides).
        #expect(throws: ConsumptionError.tooManyBuckets(limit: 24)) {
            try BucketGrid(from: utc(2026, 1, 1), to: utc(2026, 1, 2, 0, 1), resolution: .hour, timeZone: utcZone, maxBuckets: 24)
        }
        #expect(throws: ConsumptionError.timeOutOfRange) {
            try BucketGrid(from: Int64.min, to: 0, resolution: .year, timeZone: utcZone)
        }
        #expect(throws: ConsumptionError.timeOutOfRange) {
            try BucketGrid(from: 0, to: Int64.max, resolution: .fiveMinutes, timeZone: utcZone)
        }
    }

    @Test func boundariesMustStayInYearsOneToNineThousandNineHundredNinetyNine() throws {
        let copenhagen = zone("Europe/Copenhagen")
        // 9999-12-31T23:30Z is 10000-01-01 local: the ceiled year boundary cannot be written.
        #expect(throws: ConsumptionError.timeOutOfRange) {
            try BucketGrid(from: utc(9999, 6, 1), to: utc(9999, 12, 31, 23, 30), resolution: .year, timeZone: copenhagen)
        }
        #expect(throws: ConsumptionError.timeOutOfRange) {
            try BucketGrid(from: BucketGrid.earliest, to: BucketGrid.earliest + 60, resolution: .day, timeZone: copenhagen)
        }
        let end = try BucketGrid(from: utc(9999, 12, 31), to: utc(9999, 12, 31, 22), resolution: .hour, timeZone: copenhagen)
        #expect(end.count == 22)
    }

    @Test func aroundTheEpochAndLongAgo() throws {
        for identifier in ["UTC", "Europe/Copenhagen", "America/New_York"] {
            let timeZone = zone(identifier)
            for (from, to) in [(utc(1969, 5, 3, 1), utc(1971, 2, 1)), (utc(1899, 12, 1), utc(1901, 1, 1))] {
                for resolution in [Resolution.day, .month, .year] {
                    let grid = try BucketGrid(from: from, to: to, resolution: resolution, timeZone: timeZone)
                    #expect(grid.boundaries == calendarBoundaries(from: from, to: to, resolution: resolution, timeZone: timeZone),
                            "\(identifier) \(resolution)")
                }
            }
        }
    }

    @Test func errorsExplainThemselves() {
        #expect(ConsumptionError.tooManyBuckets(limit: 100_000).description.contains("100000"))
        #expect(ConsumptionError.emptyRange.description.contains("after"))
        #expect(ConsumptionError.timeOutOfRange.description.contains("9999"))
    }

    @Test func exactLimitIsAllowed() throws {
        let grid = try BucketGrid(from: utc(2026, 1, 1), to: utc(2026, 1, 2), resolution: .hour, timeZone: zone("UTC"), maxBuckets: 24)
        #expect(grid.count == 24)
    }

    @Test func explicitBoundariesAndTolerance() throws {
        let grid = BucketGrid(boundaries: [0, 3_600, 7_200])
        #expect(grid.count == 2 && grid.resolution == nil && grid.tolerance == 900)
        #expect(try BucketGrid(from: 0, to: 300, resolution: .fiveMinutes, timeZone: zone("UTC")).tolerance == 75)
        #expect(try BucketGrid(from: 0, to: 300, resolution: .month, timeZone: zone("UTC")).tolerance == 900)
    }
}
