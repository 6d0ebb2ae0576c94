public import FoundationEssentials

/// A consumption alert's period: calendar hours, days, ISO weeks (Monday first) and months on
/// the local clock of the tenant's zone, so a day is 23 or 25 hours long on daylight-saving days.
public enum AlertPeriod: String, Sendable, CaseIterable {
    case hour, day, week, month

    /// The period containing `t` (Unix seconds): `start <= t < end`. Nil only outside years
    /// 1-9999, which no reading reaches.
    public func bounds(containing t: Int64, timeZone: TimeZone) -> Range<Int64>? {
        switch self {
        case .hour: return Self.grid(t, .hour, timeZone)
        case .day: return Self.grid(t, .day, timeZone)
        case .month: return Self.grid(t, .month, timeZone)
        case .week:
            guard t > BucketGrid.earliest + 16 * 86_400, t < BucketGrid.latest - 16 * 86_400 else { return nil }
            let zone = ZoneOffsets(timeZone, from: t - 9 * 86_400, to: t + 9 * 86_400)
            var hint = 0
            let days = floorDiv(t + zone.offset(at: t, hint: &hint), 86_400)
            // 1970-01-01 was a Thursday: (days + 3) mod 7 counts from Monday.
            let monday = days - floorMod(days + 3, 7)
            hint = 0
            let start = zone.utc(local: monday * 86_400, hint: &hint)
            let end = zone.utc(local: (monday + 7) * 86_400, hint: &hint)
            return start..<end
        }
    }

    private static func grid(_ t: Int64, _ resolution: Resolution, _ zone: TimeZone) -> Range<Int64>? {
        guard let grid = try? BucketGrid(from: t, to: t + 1, resolution: resolution, timeZone: zone),
              grid.boundaries.count >= 2 else { return nil }
        return grid.boundaries[0]..<grid.boundaries[1]
    }
}
