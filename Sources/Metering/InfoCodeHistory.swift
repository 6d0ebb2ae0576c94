public import FoundationEssentials

/// The info-code list's historical column ("Leak has been recorded for more than 21 days within
/// the last 30 days"): on how many local calendar days of a window, ending with today in the
/// tenant's zone, a code was active at any moment, from its occurrences.
public enum InfoCodeHistory {
    public static let windowDays = 30

    /// One occurrence: active from `raised` until `cleared` (Unix seconds), or still active.
    public struct Interval: Sendable, Hashable {
        public var raised: Int64
        public var cleared: Int64?

        public init(raised: Int64, cleared: Int64?) {
            self.raised = raised
            self.cleared = cleared
        }
    }

    /// The number of days among the `window` local days ending with `now`'s day on which some
    /// interval was active. An interval covers `[raised, cleared)`, and at least the instant
    /// `raised` (a code cleared by the very next reading of the same second still counts its
    /// day); an active one runs to `now`.
    public static func activeDays(_ intervals: [Interval], now: Int64, zone: TimeZone, window: Int = windowDays) -> Int {
        guard window > 0, !intervals.isEmpty else { return 0 }
        let offsets = ZoneOffsets(zone, from: now - Int64(window + 2) * 86_400, to: now)
        var hint = 0
        func day(_ t: Int64) -> Int64 {
            let local = t + offsets.offset(at: t, hint: &hint)
            return local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        }
        let today = day(now)
        let first = today - Int64(window) + 1
        var seen = [Bool](repeating: false, count: window)
        for interval in intervals {
            guard interval.raised <= now else { continue }
            let lastInstant: Int64
            if let cleared = interval.cleared, cleared <= now {
                lastInstant = cleared > interval.raised ? cleared - 1 : interval.raised
            } else {
                lastInstant = now
            }
            hint = 0
            let from = max(day(interval.raised), first)
            let to = min(day(lastInstant), today)
            guard from <= to else { continue }
            for d in from...to { seen[Int(d - first)] = true }
        }
        return seen.count { $0 }
    }

    /// The sentence the product shows, in the coarse steps of the meters' own 30-day counters
    /// (MULTICAL 21: 1, 2-3, 4-7, 8-14, 15-21, 22-31 days); nil for no day.
    public static func summary(title: String, days: Int, window: Int = windowDays) -> String? {
        let span: String
        switch days {
        case ..<1: return nil
        case 1: span = "on 1 day"
        case 2...3: span = "for more than 1 day"
        case 4...7: span = "for more than 3 days"
        case 8...14: span = "for more than 7 days"
        case 15...21: span = "for more than 14 days"
        default: span = "for more than 21 days"
        }
        return "\(title) has been recorded \(span) within the last \(window) days"
    }
}
