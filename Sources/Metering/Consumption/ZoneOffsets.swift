internal import FoundationEssentials
// IANA zones need the ICU-backed implementation; FoundationEssentials alone knows only GMT, so
// importing it here links it into everything that computes consumption.
internal import FoundationInternationalization

/// A zone's UTC offsets over a window as a piecewise-constant table, read once from the zone
/// (one query per offset transition), so grids do plain arithmetic per bucket instead of asking
/// Calendar or ICU.
struct ZoneOffsets {
    /// `starts[i]` is the first UTC second at which `offsets[i]` applies; `starts[0]` is
    /// `Int64.min` (the first offset also holds before the window).
    private(set) var starts: [Int64]
    private(set) var offsets: [Int64]

    /// The offsets in force anywhere in `from...to` (Unix seconds).
    init(_ zone: TimeZone, from: Int64, to: Int64) {
        starts = [Int64.min]
        offsets = [Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(from))))]
        var cursor = Date(timeIntervalSince1970: Double(from))
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor) {
            let t = Int64(next.timeIntervalSince1970.rounded(.down))
            if t > to || next <= cursor { break }
            cursor = next
            let offset = Int64(zone.secondsFromGMT(for: next))
            // A transition that only flips the DST flag keeps the offset: not a new segment.
            if offset != offsets[offsets.count - 1] {
                starts.append(t)
                offsets.append(offset)
            }
        }
    }

    var count: Int { starts.count }

    /// The end (exclusive) of segment `i`.
    @inline(__always) func end(_ i: Int) -> Int64 { i + 1 < starts.count ? starts[i + 1] : Int64.max }

    /// The offset at UTC second `t`. `hint` is a segment index that only moves forward, for
    /// callers asking about increasing times.
    func offset(at t: Int64, hint: inout Int) -> Int64 {
        if hint >= starts.count || starts[hint] > t { hint = 0 }
        while hint + 1 < starts.count && starts[hint + 1] <= t { hint += 1 }
        return offsets[hint]
    }

    /// The first UTC second whose local time is at or after the local time `local` (seconds
    /// since 1970-01-01 on the local clock): the earlier of two occurrences when the clock was
    /// set back, the end of the gap when the local time was skipped. `hint` as in `offset`.
    func utc(local: Int64, hint: inout Int) -> Int64 {
        if hint >= starts.count { hint = 0 }
        while true {
            let t = local - offsets[hint]
            if t < end(hint) || hint + 1 == starts.count { return max(t, starts[hint]) }
            hint += 1
        }
    }
}
