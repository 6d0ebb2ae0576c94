extension Consumption {
    /// Puts several raw series (any register, samples in any order) on one grid for
    /// comparison: per series and bucket `[start, end)` the mean, last, minimum or maximum of the
    /// finite samples inside it; nil where a bucket holds none. O(samples + buckets) per series when
    /// the samples are sorted (they are sorted first otherwise).
    public static func align(_ series: [[RegisterSample]], grid: BucketGrid, aggregate: Aggregate) -> [[Double?]] {
        series.map { aligned($0, grid: grid, aggregate: aggregate) }
    }

    /// One series on the grid; see `align(_:grid:aggregate:)`.
    public static func aligned(_ samples: [RegisterSample], grid: BucketGrid, aggregate: Aggregate) -> [Double?] {
        var isSorted = true
        for i in samples.indices.dropFirst() where samples[i].time < samples[i - 1].time { isSorted = false; break }
        // A stable order by time, so `last` is the latest sample (the later one of equal times).
        let ordered = isSorted ? samples : samples.enumerated()
            .sorted { $0.element.time < $1.element.time || ($0.element.time == $1.element.time && $0.offset < $1.offset) }
            .map(\.element)
        let bounds = grid.boundaries
        var out = [Double?](repeating: nil, count: grid.count)
        var index = 0
        // Skip samples before the grid.
        while index < ordered.count && ordered[index].time < bounds[0] { index += 1 }
        for bucket in 0..<grid.count {
            let end = bounds[bucket + 1]
            var count = 0
            var accumulator = 0.0
            while index < ordered.count && ordered[index].time < end {
                let value = ordered[index].value
                index += 1
                if !value.isFinite { continue }
                switch aggregate {
                case .mean: accumulator += value
                case .last: accumulator = value
                case .min: accumulator = count == 0 ? value : Swift.min(accumulator, value)
                case .max: accumulator = count == 0 ? value : Swift.max(accumulator, value)
                }
                count += 1
            }
            if count > 0 { out[bucket] = aggregate == .mean ? accumulator / Double(count) : accumulator }
            if index == ordered.count { break }
        }
        return out
    }
}
