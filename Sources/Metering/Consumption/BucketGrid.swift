public import FoundationEssentials

/// The bucket boundaries of a consumption series: `boundaries[i] ..< boundaries[i + 1]` is
/// bucket `i`, in Unix seconds, aligned to the local clock of a time zone.
///
/// `from` is floored and `to` ceiled to the resolution's boundary: the start of the local hour,
/// local midnight, the first of the local month, local 1 January; 5 and 15 minutes on the UTC
/// clock (which is the local clock too in every zone, all offsets being whole quarter hours).
/// Days are 23 or 25 hours long on daylight-saving days; hours in :30/:45 zones start at :30/:45
/// UTC. A local midnight that does not exist (a zone that springs forward at 00:00) starts the
/// day at the transition instead.
///
/// Built from the zone's offset transitions (a handful of zone queries per year) and integer
/// arithmetic between them: a year of hours costs a few microseconds.
public struct BucketGrid: Sendable, Equatable {
    /// n + 1 strictly increasing boundaries for n buckets.
    public let boundaries: [Int64]
    /// The resolution the grid was built for; nil for a grid made from explicit boundaries.
    public let resolution: Resolution?

    /// The number of buckets.
    public var count: Int { boundaries.count - 1 }

    /// How far from a boundary a real sample may lie for it to count as measured.
    public var tolerance: Int64 {
        if let resolution { return resolution.boundaryTolerance }
        var shortest = Int64.max
        for i in 0..<count { shortest = min(shortest, boundaries[i + 1] - boundaries[i]) }
        return count == 0 ? 0 : min(shortest / 4, 900)
    }

    /// Earliest and latest times accepted: years 0001 through 9999.
    public static let earliest: Int64 = -62_135_596_800
    public static let latest: Int64 = 253_402_300_799

    /// - Throws: `.emptyRange` when `to <= from`, `.timeOutOfRange` when `from`, `to` or a
    ///   floored/ceiled boundary lies outside years 1-9999 UTC,
    ///   `.tooManyBuckets` when more than `maxBuckets` buckets would result.
    public init(from: Int64, to: Int64, resolution: Resolution, timeZone: TimeZone,
                maxBuckets: Int = 100_000) throws(ConsumptionError) {
        guard from >= Self.earliest, to <= Self.latest, from <= Self.latest, to >= Self.earliest else {
            throw .timeOutOfRange
        }
        guard to > from else { throw .emptyRange }
        // Cheap bound before any work: no bucket is longer than twice its nominal length.
        if (to - from) / (2 * resolution.nominalSeconds) > Int64(maxBuckets) {
            throw .tooManyBuckets(limit: maxBuckets)
        }
        let boundaries: [Int64]
        switch resolution {
        case .fiveMinutes, .fifteenMinutes:
            boundaries = Self.fixed(from: from, to: to, step: resolution.nominalSeconds)
        case .hour:
            let zone = ZoneOffsets(timeZone, from: from - 7_200, to: to + 7_200)
            boundaries = Self.hours(from: from, to: to, zone: zone)
        case .day, .month, .year:
            let margin: Int64 = resolution == .day ? 2 * 86_400 : resolution == .month ? 33 * 86_400 : 368 * 86_400
            let zone = ZoneOffsets(timeZone, from: from - margin, to: to + margin)
            boundaries = Self.calendar(from: from, to: to, resolution: resolution, zone: zone)
        }
        guard boundaries.count - 1 <= maxBuckets else { throw .tooManyBuckets(limit: maxBuckets) }
        // Flooring and ceiling may leave years 1-9999, which RFC 3339 cannot write.
        guard boundaries[0] >= Self.earliest, boundaries[boundaries.count - 1] <= Self.latest else { throw .timeOutOfRange }
        self.boundaries = boundaries
        self.resolution = resolution
    }

    /// A grid from explicit boundaries, e.g. for a billing period or a test. Traps unless there
    /// are at least two and they strictly increase: check input from a request first.
    public init(boundaries: [Int64]) {
        precondition(boundaries.count >= 2, "a grid needs at least one bucket")
        for i in 1..<boundaries.count { precondition(boundaries[i - 1] < boundaries[i], "boundaries must increase") }
        self.boundaries = boundaries
        self.resolution = nil
    }

    private static func fixed(from: Int64, to: Int64, step: Int64) -> [Int64] {
        let first = floorDiv(from, step) * step
        let last = -floorDiv(-to, step) * step
        var out: [Int64] = []
        out.reserveCapacity(Int((last - first) / step) + 1)
        var t = first
        while t <= last { out.append(t); t += step }
        return out
    }

    /// Local hours: within each constant-offset segment the boundaries are 3,600 s apart; a
    /// transition instant is a boundary too when it was on the hour before the change.
    private static func hours(from: Int64, to: Int64, zone: ZoneOffsets) -> [Int64] {
        var out: [Int64] = []
        out.reserveCapacity(Int((to - from) / 3_600) + 3)
        var hint = 0
        _ = zone.offset(at: from, hint: &hint)
        // Step back one segment so the boundary at or before `from` is generated too.
        var segment = max(hint - 1, 0)
        var last = Int64.min
        while segment < zone.count {
            let start = zone.starts[segment], end = zone.end(segment), offset = zone.offsets[segment]
            if segment > 0 && floorMod(start + zone.offsets[segment - 1], 3_600) == 0 && start > last {
                if !append(start, from: from, to: to, into: &out) { return out }
                last = start
            }
            let lower = max(start, from - 7_200)
            var t = lower + floorMod(-(lower + offset), 3_600)
            while t < end {
                if t > last {
                    if !append(t, from: from, to: to, into: &out) { return out }
                    last = t
                }
                t += 3_600
            }
            segment += 1
        }
        return out
    }

    /// Appends a candidate boundary, keeping only the last one at or before `from`; returns false
    /// once the first boundary at or after `to` is in.
    @inline(__always)
    private static func append(_ t: Int64, from: Int64, to: Int64, into out: inout [Int64]) -> Bool {
        if t <= from {
            if out.isEmpty { out.append(t) } else { out[0] = t }
            return true
        }
        out.append(t)
        return t < to
    }

    /// Local midnights of days, first days of months or 1 January, each converted to UTC with
    /// the offset table.
    private static func calendar(from: Int64, to: Int64, resolution: Resolution, zone: ZoneOffsets) -> [Int64] {
        var hint = 0
        let localFrom = from + zone.offset(at: from, hint: &hint)
        var date = CivilDate(days: floorDiv(localFrom, 86_400))
        switch resolution {
        case .month: date.day = 1
        case .year: date.day = 1; date.month = 1
        default: break
        }
        var out: [Int64] = []
        out.reserveCapacity(Int((to - from) / resolution.nominalSeconds) + 3)
        hint = 0
        var days = date.days
        while true {
            let t = zone.utc(local: days * 86_400, hint: &hint)
            if out.isEmpty || t > out[out.count - 1] { out.append(t) }
            if t >= to { return out }
            switch resolution {
            case .day: days += 1
            case .month: date = CivilDate(days: days).nextMonth; days = date.days
            default: days = CivilDate(year: CivilDate(days: days).year + 1, month: 1, day: 1).days
            }
        }
    }
}
