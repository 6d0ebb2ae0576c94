/// The width of a consumption bucket. Minutes are on the UTC clock (every zone's offset is a
/// whole number of quarter hours); hours, days, months and years follow the local clock of the
/// requested zone, so a day is 23 or 25 hours long on daylight-saving days.
public enum Resolution: String, Sendable, CaseIterable {
    case fiveMinutes = "5min", fifteenMinutes = "15min", hour, day, month, year

    /// The nominal length in seconds (a day is nominally 86,400 s, a month 28 days: the shortest
    /// month, so the bound on the number of buckets is safe).
    public var nominalSeconds: Int64 {
        switch self {
        case .fiveMinutes: 300
        case .fifteenMinutes: 900
        case .hour: 3_600
        case .day: 86_400
        case .month: 28 * 86_400
        case .year: 365 * 86_400
        }
    }

    /// How far from a bucket boundary a real sample may lie for the boundary to count as
    /// measured: a quarter of the bucket, capped at 15 minutes (hourly readings that arrive a
    /// few minutes late still measure the hour).
    public var boundaryTolerance: Int64 { min(nominalSeconds / 4, 900) }
}

/// Why a consumption grid cannot be built. The API answers each with a 400 problem.
public enum ConsumptionError: Error, Equatable, Sendable {
    /// `to` is not after `from`.
    case emptyRange
    /// The range holds more buckets than allowed; narrow the range or coarsen the resolution.
    case tooManyBuckets(limit: Int)
    /// A time or a boundary outside years 0001-9999 UTC (the range RFC 3339 can express).
    case timeOutOfRange
}

extension ConsumptionError: CustomStringConvertible {
    /// A sentence for a problem's `detail`.
    public var description: String {
        switch self {
        case .emptyRange: "'to' must be after 'from'"
        case .tooManyBuckets(let limit):
            "the range holds more than \(limit) buckets at this resolution; narrow the range or choose a coarser resolution"
        case .timeOutOfRange: "times and bucket boundaries must lie in the years 0001 to 9999 (UTC)"
        }
    }
}
