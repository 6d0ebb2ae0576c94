public import FoundationEssentials
public import Metering

/// A metering point as its own resource: the supply point, its customer and the meters
/// installed on it over time. (`MeteringPointRecord` is the smaller shape embedded in a meter.)
public struct MeteringPointDetails: Sendable, Equatable {
    public var rowID: Int64
    public var id: UUID
    public var address: String?
    public var postalCode: String?
    public var city: String?
    public var latitude: Double?
    public var longitude: Double?
    public var customer: CustomerReference?
    /// The meter installed now, if any.
    public var meterID: UUID?
    /// Newest first; filled by the single-point read only.
    public var installations: [InstallationRecord]?
    /// The row version, for ETags.
    public var revision: Int
    public var createdAt: Date
    public var updatedAt: Date
}

public struct CustomerReference: Sendable, Equatable {
    public var id: UUID
    public var customerNumber: String
    public var name: String?
}

/// One period a meter served a metering point; `removedAt` is nil while it is installed.
public struct InstallationRecord: Sendable, Equatable {
    public var meterID: UUID
    public var installedAt: Date
    public var removedAt: Date?
    public var startValues: RegisterValues?
    public var finalValues: RegisterValues?
}

/// Fields of a metering point to write; nil keeps (on create: leaves empty). An empty text
/// clears it on update.
public struct MeteringPointChanges: Sendable {
    public var address: String?
    public var postalCode: String?
    public var city: String?
    public var latitude: Double?
    public var longitude: Double?
    public var customer: CustomerChange = .keep

    public enum CustomerChange: Sendable, Equatable {
        case keep
        case remove
        case set(UUID)
    }

    public init() {}
}

/// A meter exchange as recorded.
public struct MeterExchangeRecord: Sendable, Equatable {
    public var rowID: Int64
    public var id: UUID
    public var meteringPointID: UUID
    public var oldMeterID: UUID
    public var newMeterID: UUID
    public var exchangedAt: Date
    public var oldFinal: RegisterValues?
    public var newStart: RegisterValues?
    public var createdAt: Date
}

/// What a billing system or field app reports: the meter taken out, the one put in, when, and
/// the register values read off both at that moment.
public struct MeterExchangeRequest: Sendable {
    public var oldMeterID: UUID
    public var newMeterID: UUID
    public var exchangedAt: Date
    public var oldFinal: RegisterValues?
    public var newStart: RegisterValues?

    public init(oldMeterID: UUID, newMeterID: UUID, exchangedAt: Date, oldFinal: RegisterValues? = nil,
                newStart: RegisterValues? = nil) {
        self.oldMeterID = oldMeterID
        self.newMeterID = newMeterID
        self.exchangedAt = exchangedAt
        self.oldFinal = oldFinal
        self.newStart = newStart
    }
}

/// A request field the store refuses for what it names or says (an unknown customer, a time out
/// of order): 422 with a pointer to the field.
public struct InvalidField: Error, Sendable, Equatable {
    public var pointer: String
    public var detail: String

    public init(_ pointer: String, _ detail: String) {
        self.pointer = pointer
        self.detail = detail
    }
}
