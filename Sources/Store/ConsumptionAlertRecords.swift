public import FoundationEssentials
public import Metering

/// What a consumption alert watches: one meter, or a group resolved whenever it is evaluated
/// (so meters that join later are monitored too).
public enum AlertTarget: Sendable, Equatable {
    case meter(UUID)
    case group(GroupSelector)
}

/// A consumption alert as its creator describes it.
public struct ConsumptionAlertDefinition: Sendable, Equatable {
    public var name: String
    public var register: Register
    /// In the register's unit, per period.
    public var limit: Double
    public var period: AlertPeriod
    public var target: AlertTarget
    /// Unix seconds; monitoring runs from `start` (inclusive) to `end` (exclusive; nil: no end).
    public var start: Int64
    public var end: Int64?

    public init(name: String, register: Register, limit: Double, period: AlertPeriod, target: AlertTarget, start: Int64,
                end: Int64?) {
        self.name = name
        self.register = register
        self.limit = limit
        self.period = period
        self.target = target
        self.start = start
        self.end = end
    }
}

/// A monitored meter's state under one alert; stored as `consumption_alert_meters.state`.
public enum AlertMeterState: Int64, Sendable, CaseIterable {
    /// Monitoring; the limit has not been exceeded (or never since the alert was set up).
    case active = 0
    /// The limit was exceeded; it stays so until reset.
    case triggered = 1
    /// Reset after a trigger: monitoring again, and a later period over the limit triggers anew.
    case reset = 2

    public var name: String {
        switch self {
        case .active: "active"
        case .triggered: "triggered"
        case .reset: "reset"
        }
    }

    public init?(name: String) {
        guard let state = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = state
    }
}

public struct ConsumptionAlertRecord: Sendable {
    public var rowID: Int64
    public var id: UUID
    public var definition: ConsumptionAlertDefinition
    /// The group's id or virtual name for a group alert.
    public var groupParameter: String?
    /// `triggered` when any monitored meter is, else `reset` when any was reset, else `active`.
    public var state: AlertMeterState
    public var triggeredMeters: Int
    public var revision: Int
    public var createdAt: Date
    public var updatedAt: Date
}

/// One monitored meter of an alert.
public struct AlertMeterRecord: Sendable {
    public var meterID: UUID
    public var state: AlertMeterState
    /// The start of the period that last triggered.
    public var periodStart: Date?
    /// The period's consumption when it triggered.
    public var consumption: Double?
    public var triggeredAt: Date?
    public var resetAt: Date?
}
