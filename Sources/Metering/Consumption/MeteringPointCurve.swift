/// A metering point's cumulative consumption over time: one continuous, non-decreasing curve
/// across all its meters, with rollovers unwrapped, decreases held flat and each new meter
/// continuing where the previous one stopped.
///
/// Points are sorted by time and grouped by stay; `value` is the curve (consumption since the
/// first reading of the first stay), interpolated linearly only between two points of the
/// same stay.
struct MeteringPointCurve {
    struct Point {
        var time: Int64
        var value: Double
        var stay: Int32
    }

    var points: [Point] = []
    var stays: [Stay]
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
        var readings: [RegisterSample] = []
        var base = 0.0
        var previousLast: Double? = nil
        for (index, stay) in stays.enumerated() {
            let meter = meters[stay.source]
            readings.removeAll(keepingCapacity: true)
            stay.readings(of: meter, into: &readings)
            if index > 0, stay.start >= annotateFrom, stay.start <= annotateTo {
                annotations.append(exchange(stays[index - 1], meters[stays[index - 1].source], previousLast,
                                            stay, meter, readings.first))
            }
            previousLast = readings.last?.value
            guard let first = readings.first else { continue }
            var maximum = first.value
            for reading in readings where reading.value > maximum { maximum = reading.value }
            let modulus = meter.rolloverModulus ?? Self.modulus(above: maximum)
            var offset = 0.0
            var highest = first.value
            let origin = first.value
            var previousRaw = first.value
            for reading in readings {
                var unwrapped = reading.value + offset
                if unwrapped < highest {
                    let drop = highest - unwrapped
                    let inRange = reading.time >= annotateFrom && reading.time <= annotateTo
                    if modulus >= Self.smallestHeuristicModulus || meter.rolloverModulus != nil, drop > modulus / 2 {
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
                points.append(Point(time: reading.time, value: base + (highest - origin), stay: Int32(index)))
            }
            base = points[points.count - 1].value
        }
        if annotations.count > 1 { annotations.sort { $0.time < $1.time } }
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
