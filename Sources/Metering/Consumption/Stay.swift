/// One installation as the math uses it: a meter's span on the metering point after sorting
/// the installations by time and clipping any overlap (a stay ends no later than the next one
/// begins, since a metering point has one meter at a time).
struct Stay {
    var meter: Int64
    /// Index into the caller's `[InstalledMeter]`.
    var source: Int
    /// Inclusive span; `end` is `Int64.max` while installed.
    var start: Int64
    var end: Int64
    /// Whether `finalValue` applies (the removal was not clipped away by an overlap).
    var usesFinalValue: Bool

    @inline(__always) func contains(_ t: Int64) -> Bool { t >= start && t <= end }

    /// The stays of a metering point's installations, by installation time.
    static func stays(of meters: [InstalledMeter]) -> [Stay] {
        var order = Array(meters.indices)
        order.sort { meters[$0].installedAt < meters[$1].installedAt || (meters[$0].installedAt == meters[$1].installedAt && $0 < $1) }
        var out: [Stay] = []
        out.reserveCapacity(order.count)
        for (position, index) in order.enumerated() {
            let meter = meters[index]
            var end = meter.removedAt ?? Int64.max
            var usesFinal = meter.removedAt != nil
            if position + 1 < order.count {
                let next = meters[order[position + 1]].installedAt
                if next < end { end = next; usesFinal = false }
            }
            if end < meter.installedAt { end = meter.installedAt }
            out.append(Stay(meter: meter.meter, source: index, start: meter.installedAt, end: end, usesFinalValue: usesFinal))
        }
        return out
    }

    /// The stay's readings, sorted by time, one per second: finite samples inside the stay plus the
    /// exchange's start and final values, which win over a sample at the same second; of
    /// several samples in one second the highest is kept (a cumulative register). Appended to
    /// `out`; returns the range appended.
    @discardableResult
    func readings(of meter: InstalledMeter, into out: inout [RegisterSample]) -> Range<Int> {
        let first = out.count
        var sorted = true
        var previous = Int64.min
        for sample in meter.samples where contains(sample.time) && sample.value.isFinite {
            if sample.time < previous { sorted = false }
            previous = sample.time
            out.append(sample)
        }
        if !sorted {
            out[first...].sort { $0.time < $1.time || ($0.time == $1.time && $0.value < $1.value) }
        }
        // Dedupe in place: keep the highest value per second.
        var write = first
        var read = first
        while read < out.count {
            let sample = out[read]
            if write > first && out[write - 1].time == sample.time {
                if sample.value > out[write - 1].value { out[write - 1].value = sample.value }
            } else {
                out[write] = sample
                write += 1
            }
            read += 1
        }
        out.removeSubrange(write...)
        if let startValue = meter.startValue, startValue.isFinite {
            if write > first && out[first].time == start {
                out[first].value = startValue
            } else {
                out.insert(RegisterSample(time: start, value: startValue), at: first)
            }
        }
        if usesFinalValue, let finalValue = meter.finalValue, finalValue.isFinite {
            if out.count > first && out[out.count - 1].time == end {
                out[out.count - 1].value = finalValue
            } else {
                out.append(RegisterSample(time: end, value: finalValue))
            }
        }
        return first..<out.count
    }
}

/// Values in annotation details: integers without a fraction, others as Swift prints them.
func formatValue(_ value: Double) -> String {
    if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
}
