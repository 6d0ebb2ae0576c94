/// Consumption from cumulative registers, as pure functions of plain values.
///
/// **The curve.** Per installation the readings are sorted, exact duplicates dropped (of
/// several values in one second the highest is kept) and only those inside the installation
/// kept; an exchange's start and final values are readings at the installation and removal
/// times. A decrease is a **rollover** when the drop from the highest value so far is more
/// than half the wrap modulus: `InstalledMeter.rolloverModulus` when given, else the smallest
/// power of ten above the largest value the meter showed (and at least 1,000), e.g. 99,990 ->
/// 12 wraps at 100,000 and counts 22. Any other decrease is annotated `decrease` (once, at the
/// reading that went down) and counts zero: the curve holds at its highest value until the
/// register passes it again, so neither a glitch nor a wrap ever makes consumption negative,
/// and a glitch is not counted twice. Across an exchange the metering point's
/// curve continues: the old meter counts up to its final value (else its last reading), the new
/// one from its start value (else its first reading); the difference between two meters'
/// registers is never consumption.
///
/// **Buckets.** A bucket's consumption is curve(end) - curve(start), the curve interpolated
/// linearly at each boundary between the two readings of the same installation around it.
/// A boundary is `measured` when a real reading lies within the grid's tolerance (a quarter of
/// the bucket, at most 15 minutes; a boundary just outside the first or last reading of an
/// installation snaps to it), `interpolated` when it lies in a longer gap, and missing when no
/// installation's readings bracket it (before the first reading, after the last, while no meter
/// was installed). A bucket is `measured` when both boundaries are, `missing` (nil) when either
/// is, else `interpolated`; one that spans an exchange without hand-over values (time between
/// the old meter's last and the new one's first reading is not observed) is at best
/// `interpolated`. O(readings + buckets) after sorting; no allocation per bucket.
public enum Consumption {
    /// The metering point's consumption on `grid` from its installations (any order).
    /// `tolerance` overrides the grid's boundary tolerance (seconds).
    public static func series(_ meters: [InstalledMeter], grid: BucketGrid, tolerance: Int64? = nil) -> ConsumptionSeries {
        let bounds = grid.boundaries
        let curve = MeteringPointCurve(meters, annotateFrom: bounds[0], annotateTo: bounds[bounds.count - 1])
        var walker = CurveWalker(curve: curve, tolerance: tolerance ?? grid.tolerance)
        var buckets: [ConsumptionBucket] = []
        buckets.reserveCapacity(grid.count)
        var total = 0.0
        var any = false
        var start = walker.evaluate(bounds[0])
        for i in 1..<bounds.count {
            let end = walker.evaluate(bounds[i])
            let bucket: ConsumptionBucket
            if let a = start.value, let b = end.value {
                let measured = start.measured && end.measured && !end.crossedHole
                let consumption = max(0, b - a)
                total += consumption
                any = true
                bucket = ConsumptionBucket(start: bounds[i - 1], end: bounds[i], consumption: consumption,
                                           quality: measured ? .measured : .interpolated)
            } else {
                bucket = ConsumptionBucket(start: bounds[i - 1], end: bounds[i], consumption: nil, quality: .missing)
            }
            buckets.append(bucket)
            start = end
        }
        return ConsumptionSeries(buckets: buckets, annotations: curve.annotations, total: any ? total : nil)
    }
}

/// Evaluates a curve at increasing times with a pointer that only moves forward.
struct CurveWalker {
    struct Value {
        var value: Double?
        var measured: Bool
        /// Whether the walk since the previous evaluation passed an unobserved hand-over between
        /// two installations (a gap longer than the tolerance).
        var crossedHole: Bool
    }

    private let curve: MeteringPointCurve
    private let points: [RegisterSample]
    private let tolerance: Int64
    /// Index of the last point at or before the evaluated time; -1 before the first.
    private var index = -1
    /// The stay of `points[index]` (of the first point while `index` is -1).
    private var stay = 0
    private var crossedHole = false
    /// A forward snap already accounted for the hand-over after this point.
    private var snappedPast = -1

    init(curve: MeteringPointCurve, tolerance: Int64) {
        self.curve = curve
        self.points = curve.points
        self.tolerance = tolerance
        stay = curve.stay(after: -1, current: 0)
    }

    mutating func evaluate(_ t: Int64) -> Value {
        while index + 1 < points.count && points[index + 1].time <= t {
            let next = index < 0 ? stay : curve.stay(after: index, current: stay)
            if index >= 0 && next != stay && index != snappedPast && points[index + 1].time - points[index].time > tolerance {
                crossedHole = true
            }
            stay = next
            index += 1
        }
        let hole = crossedHole
        crossedHole = false
        let nextStay = index < 0 ? stay : curve.stay(after: index, current: stay)
        if index >= 0 {
            let p = points[index]
            if p.time == t { return Value(value: p.value, measured: true, crossedHole: hole) }
            if index + 1 < points.count && nextStay == stay {
                let q = points[index + 1]
                let fraction = Double(t - p.time) / Double(q.time - p.time)
                let value = p.value + (q.value - p.value) * fraction
                let near = min(t - p.time, q.time - t) <= tolerance
                return Value(value: value, measured: near, crossedHole: hole)
            }
            if t - p.time <= tolerance && curve.stays[stay].contains(t) {
                return Value(value: p.value, measured: true, crossedHole: hole)
            }
        }
        if index + 1 < points.count {
            let q = points[index + 1]
            if q.time - t <= tolerance && curve.stays[nextStay].contains(t) {
                snappedPast = index
                return Value(value: q.value, measured: true, crossedHole: hole)
            }
        }
        return Value(value: nil, measured: false, crossedHole: hole)
    }
}
