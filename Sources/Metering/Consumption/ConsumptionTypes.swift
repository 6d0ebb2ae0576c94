/// One reading of a cumulative register: Unix seconds and the register's value.
public struct RegisterSample: Sendable, Equatable {
    public var time: Int64
    public var value: Double

    public init(time: Int64, value: Double) {
        self.time = time
        self.value = value
    }
}

/// One meter's stay on a metering point, with its readings of one cumulative register.
public struct InstalledMeter: Sendable {
    /// Opaque id (a row id), echoed in annotations and billing readings; never shown as is.
    public var meter: Int64
    /// Installed at (inclusive) and removed at (inclusive); `removedAt` nil = still installed.
    public var installedAt: Int64, removedAt: Int64?
    /// Register values at installation and removal, from a meter exchange when one gave them.
    /// They count as real readings at `installedAt` and `removedAt`, ahead of any sample there.
    public var startValue: Double?, finalValue: Double?
    /// Readings in any order, duplicates allowed; those outside the stay and non-finite values are ignored.
    public var samples: [RegisterSample]
    /// The value at which the register wraps to zero, when known (e.g. 100,000 for 5 digits).
    /// When nil a wrap is recognised heuristically (see `Consumption`).
    public var rolloverModulus: Double?

    public init(meter: Int64, installedAt: Int64, removedAt: Int64? = nil,
                startValue: Double? = nil, finalValue: Double? = nil,
                samples: [RegisterSample], rolloverModulus: Double? = nil) {
        self.meter = meter
        self.installedAt = installedAt
        self.removedAt = removedAt
        self.startValue = startValue
        self.finalValue = finalValue
        self.samples = samples
        self.rolloverModulus = rolloverModulus
    }
}

/// How a bucket's consumption was obtained.
public enum Quality: String, Sendable {
    /// Both boundaries lie within the grid's tolerance of a real reading.
    case measured
    /// A boundary lies in a gap between two readings of the same installation and was
    /// interpolated linearly, or the bucket spans a meter exchange whose hand-over values were
    /// not given (the consumption between the old meter's last and the new one's first reading
    /// is unknown and not counted).
    case interpolated
    /// A boundary is not bracketed by readings of one installation: consumption is nil.
    case missing
}

public struct ConsumptionBucket: Sendable, Equatable {
    public var start: Int64, end: Int64
    /// nil when `quality` is `.missing`; never negative.
    public var consumption: Double?
    public var quality: Quality

    public init(start: Int64, end: Int64, consumption: Double?, quality: Quality) {
        self.start = start
        self.end = end
        self.consumption = consumption
        self.quality = quality
    }
}

/// Something the chart should explain at a point in time.
public struct Annotation: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A new meter took over the metering point (`meter` is the new one, `previousMeter` the old).
        case exchange
        /// The register wrapped past its maximum; the modulus was added.
        case rollover
        /// The register went down without wrapping; the drop counts as zero consumption and the
        /// curve holds at its highest value until the register passes it again.
        case decrease
    }
    public var kind: Kind
    public var time: Int64
    public var meter: Int64
    /// Human-readable values, e.g. "99990 -> 12, wrap at 100000"; holds no ids.
    public var detail: String
    /// For an exchange: the meter that was replaced (nil when the point had none before).
    public var previousMeter: Int64?

    public init(kind: Kind, time: Int64, meter: Int64, detail: String, previousMeter: Int64? = nil) {
        self.kind = kind
        self.time = time
        self.meter = meter
        self.detail = detail
        self.previousMeter = previousMeter
    }
}

public struct ConsumptionSeries: Sendable {
    /// One per grid bucket, in order.
    public var buckets: [ConsumptionBucket]
    /// Exchanges, rollovers and decreases inside the grid's range, by time.
    public var annotations: [Annotation]
    /// The sum of the buckets that have a value; nil when none has.
    public var total: Double?

    public init(buckets: [ConsumptionBucket], annotations: [Annotation], total: Double?) {
        self.buckets = buckets
        self.annotations = annotations
        self.total = total
    }
}

/// A metering point's register value at a target date.
public struct BillingReading: Sendable, Equatable {
    /// The register value as the meter shows it (not unwrapped); nil when missing.
    public var value: Double?
    public var quality: BillingQuality
    /// When the value was read: the real reading's time, or the target time when interpolated.
    public var time: Int64?
    /// The meter installed at the target time.
    public var meter: Int64?

    public init(value: Double?, quality: BillingQuality, time: Int64?, meter: Int64?) {
        self.value = value
        self.quality = quality
        self.time = time
        self.meter = meter
    }
}

public enum BillingQuality: String, Sendable {
    /// The meter's own target-date register (legal reading, best evidence).
    case targetRegister = "target-register"
    /// A real reading within the tolerance of the target time.
    case measured
    /// Linear between the readings around the target time of the same installation.
    case interpolated
    case missing
}

/// How `Consumption.align` folds the samples inside a bucket into one value.
public enum Aggregate: String, Sendable, CaseIterable {
    case mean, last, min, max
}
