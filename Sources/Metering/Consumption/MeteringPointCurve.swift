/// A metering point's cumulative consumption over time: one continuous, non-decreasing curve
/// across all its meters, with rollovers unwrapped, decreases held flat and each new meter
/// continuing where the previous one stopped.
///
/// A point's value is the curve (consumption since the first reading of the first stay),
/// interpolated linearly only between two points of the same stay.
struct MeteringPointCurve {
    /// (time, curve value), sorted by time, stay after stay.
    var points: [RegisterSample] = []
    var stays: [Stay]
    /// The points of each stay (parallel to `stays`; empty for a stay without readings).
    var ranges: [Range<Int>] = []
    var annotations: [Annotation] = []

    /// Registers below this never wrap heuristically: a young meter's 9 -> 1 is a glitch, not a
    /// one-digit register.
    static let smallestHeuristicModulus = 1_000.0

    /// Builds the curve; annotations are kept only when their time lies in `annotateFrom...annotateTo`.
    init(_ meters: [InstalledMeter], annotateFrom: Int64 = .min, annotateTo: Int64 = .max) {
        stays = Stay.stays(of: meters)
        var total = 0
        for meter in meters { total += meter.samples.count + 2 }
        points.reserveCapacity(total)
        ranges.reserveCapacity(stays.count)
        var base = 0.0
        var previousLast: Double? = nil
        for (index, stay) in stays.enumerated() {
            let meter = meters[stay.source]
            // The readings go straight into `points`; their values become curve values below.
            let range = stay.readings(of: meter, into: &points)
            ranges.append(range)
            if index > 0, stay.start >= annotateFrom, stay.start <= annotateTo {
                annotations.append(exchange(stays[index - 1], meters[stays[index - 1].source], previousLast,
                                            stay, meter, range.isEmpty ? nil : points[range.lowerBound]))
            }
            previousLast = range.isEmpty ? nil : points[range.upperBound - 1].value
            guard !range.isEmpty else { continue }
            var maximum = points[range.lowerBound].value
            for i in range where points[i].value > maximum { maximum = points[i].value }
            let modulus = meter.rolloverModulus ?? Self.modulus(above: maximum)
            let wraps = modulus >= Self.smallestHeuristicModulus || meter.rolloverModulus != nil
            var offset = 0.0
            let origin = points[range.lowerBound].value
            var highest = origin
            var previousRaw = origin
            for i in range {
                let reading = points[i]
                var unwrapped = reading.value + offset
                if unwrapped < highest {
                    let drop = highest - unwrapped
                    let inRange = reading.time >= annotateFrom && reading.time <= annotateTo
                    if wraps && drop > modulus / 2 {
                        offset += modulus
                        unwrapped += modulus
                        if inRange {
                            annotations.append(Annotation(kind: .rollover, time: reading.time, meter: stay.meter,
                                detail: "\(formatValue(previousRaw)) -> \(formatValue(reading.value)), wrap at \(formatValue(modulus))"))
                        }
                    } else if inRange && reading.value < previousRaw {
                        annotations.append(Annotation(kind: .decrease, time: reading.time, meter: stay.meter,
                            detail: "\(formatValue(previousRaw)) -> \(formatValue(reading.value))"))
                    }
                }
                if unwrapped > highest { highest = unwrapped }
                previousRaw = reading.value
                points[i].value = base + (highest - origin)
            }
            base = points[range.upperBound - 1].value
        }
        if annotations.count > 1 { annotations.sort { $0.time < $1.time } }
    }

    /// The stay of the first point after `point` that belongs to a later stay than `stay`, or
    /// `stay` itself when `point + 1` is still in it.
    @inline(__always) func stay(after point: Int, current stay: Int) -> Int {
        var s = stay
        while s < ranges.count && point + 1 >= ranges[s].upperBound { s += 1 }
        return s
    }

    /// The smallest power of ten above `value` (at least 10).
    static func modulus(above value: Double) -> Double {
        var modulus = 10.0
        while modulus <= value && modulus < 1e18 { modulus *= 10 }
        return modulus
    }

    private func exchange(_ old: Stay, _ oldMeter: InstalledMeter, _ oldLast: Double?,
                          _ new: Stay, _ newMeter: InstalledMeter, _ newFirst: RegisterSample?) -> Annotation {
        var parts: [String] = []
        if old.usesFinalValue, let finalValue = oldMeter.finalValue {
            parts.append("final value \(formatValue(finalValue))")
        } else if let oldLast {
            parts.append("last reading \(formatValue(oldLast))")
        }
        if let startValue = newMeter.startValue {
            parts.append("start value \(formatValue(startValue))")
        } else if let first = newFirst {
            parts.append("first reading \(formatValue(first.value))")
        }
        return Annotation(kind: .exchange, time: new.start, meter: new.meter,
                          detail: parts.isEmpty ? "no readings" : parts.joined(separator: ", "),
                          previousMeter: old.meter)
    }
}
