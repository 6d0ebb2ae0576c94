public import FoundationEssentials
internal import FoundationInternationalization

/// A time of day on the local clock of a zone (a daily digest's "12:20"), and when it next
/// comes, DST-correct: a time the clock skips (spring forward) happens at the end of the gap,
/// a time the clock passes twice (fall back) happens at the first pass only.
public struct DailySchedule: Sendable, Equatable {
    /// Minutes after local midnight, 0..<1440.
    public var minuteOfDay: Int

    public init?(minuteOfDay: Int) {
        guard (0..<1440).contains(minuteOfDay) else { return nil }
        self.minuteOfDay = minuteOfDay
    }

    /// `HH:MM`, 24-hour, two digits each.
    public init?(text: String) {
        let u = Array(text.utf8)
        guard u.count == 5, u[2] == UInt8(ascii: ":"),
              let h = Self.digits(u[0], u[1]), let m = Self.digits(u[3], u[4]), h < 24, m < 60 else { return nil }
        minuteOfDay = h * 60 + m
    }

    public var text: String {
        let h = minuteOfDay / 60, m = minuteOfDay % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }

    /// The first occurrence strictly after `after` (Unix seconds), as Unix seconds.
    public func next(after: Int64, in zone: TimeZone) -> Int64 {
        // Offsets from two days before to three after cover any zone's day and transition.
        let offsets = ZoneOffsets(zone, from: after - 2 * 86_400, to: after + 3 * 86_400)
        var hint = 0
        let localNow = after + offsets.offset(at: after, hint: &hint)
        var day = floorDiv(localNow, 86_400)
        while true {
            hint = 0
            let due = offsets.utc(local: day * 86_400 + Int64(minuteOfDay) * 60, hint: &hint)
            if due > after { return due }
            day += 1
        }
    }

    private static func digits(_ a: UInt8, _ b: UInt8) -> Int? {
        guard (48...57).contains(a), (48...57).contains(b) else { return nil }
        return Int(a - 48) * 10 + Int(b - 48)
    }
}

/// Times as a notification shows them: `2026-11-22 10:00` on the zone's clock.
public enum LocalTimeText {
    public static func minutes(_ unixSeconds: Int64, in zone: TimeZone) -> String {
        let local = unixSeconds + Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(unixSeconds))))
        let date = CivilDate(days: floorDiv(local, 86_400))
        let minute = floorMod(local, 86_400) / 60
        return "\(date.year)-\(two(date.month))-\(two(date.day)) \(two(minute / 60)):\(two(minute % 60))"
    }

    private static func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
