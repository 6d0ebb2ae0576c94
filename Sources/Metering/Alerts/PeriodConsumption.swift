/// One meter's consumption of a cumulative register within one period, kept up to date one
/// reading at a time (the alert evaluator's hot path: no allocation, no history).
///
/// Consumption is the register now minus the register at the period start (the last reading
/// at or before it), by the rules of `Consumption`: a drop of more than half the wrap modulus
/// (the smallest power of ten above the largest value seen, at least 1,000) is a rollover and
/// counts on from zero; any other decrease counts zero and the count holds at its highest value
/// until the register passes it again. Never negative.
public struct PeriodConsumption: Sendable, Equatable {
    public private(set) var period: Range<Int64>
    /// The register at the period start (raw).
    public private(set) var baseline: Double
    /// The time of the latest reading taken in; older ones are ignored (arrived late).
    public private(set) var lastTime: Int64
    private var lastRaw: Double
    private var offset = 0.0
    private var highest: Double
    private var largestRaw: Double

    /// Starts a period from the register at its start (`baseline`, read at `baselineTime`).
    public init(period: Range<Int64>, baseline: Double, baselineTime: Int64) {
        self.period = period
        self.baseline = baseline
        self.lastTime = baselineTime
        self.lastRaw = baseline
        self.highest = baseline
        self.largestRaw = baseline
    }

    /// Consumption since the period start, in the register's unit.
    public var consumption: Double { max(0, highest - baseline) }

    /// Takes in a reading of the current period; false (and nothing changes) when it is older
    /// than the latest one taken in or not finite.
    @discardableResult
    public mutating func add(time: Int64, value: Double) -> Bool {
        guard time >= lastTime, value.isFinite else { return false }
        largestRaw = max(largestRaw, value)
        let modulus = MeteringPointCurve.modulus(above: largestRaw)
        var unwrapped = value + offset
        if unwrapped < highest, modulus >= MeteringPointCurve.smallestHeuristicModulus, highest - unwrapped > modulus / 2 {
            offset += modulus
            unwrapped += modulus
        }
        highest = max(highest, unwrapped)
        lastTime = time
        lastRaw = value
        return true
    }

    /// Moves on to a later period: the latest reading (at or before its start) is its baseline.
    public mutating func advance(to next: Range<Int64>) {
        self = PeriodConsumption(period: next, baseline: lastRaw, baselineTime: lastTime)
    }
}
