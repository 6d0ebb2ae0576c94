public import FoundationEssentials

/// A meter as the rest of the server sees it; `rowID` stays inside the server (key sealing).
public struct MeterRecord: Sendable, Equatable {
    public var rowID: Int64
    public var id: UUID
    public var manufacturer: String
    public var serial: String
    /// The M-Bus version byte (not the row version).
    public var version: Int?
    public var deviceType: Int?
    public var model: String?
    public var medium: String
    public var paths: [String]
    public var primaryAddress: Int?
    public var secondaryAddress: String?
    public var lifecycle: String
    public var meteringPoint: MeteringPointRecord?
    public var label: String?
    public var hasKey: Bool
    public var activeInfoCodes: [String]
    /// The row version, for ETags.
    public var revision: Int
    public var createdAt: Date
    public var updatedAt: Date
    /// A priority meter (read every 5 minutes; at most `Store.maxPriorityMeters` a tenant).
    public var priority: Bool = false
}

public struct MeteringPointRecord: Sendable, Equatable {
    public var id: UUID
    public var address: String?
    public var postalCode: String?
    public var city: String?
    public var latitude: Double?
    public var longitude: Double?
    public var customerNumber: String?
}

/// Fields to write; nil leaves a field as it is (on create: its default).
public struct MeterFields: Sendable {
    public var manufacturer: String?
    public var serial: String?
    public var version: Int?
    public var deviceType: Int?
    public var model: String?
    public var medium: String?
    public var paths: [String]?
    public var primaryAddress: Int?
    public var secondaryAddress: String?
    public var lifecycle: String?
    public var meteringPoint: MeteringPointFields?
    /// An existing metering point to install the meter on (with `meteringPoint`, its fields are written to it).
    public var meteringPointID: UUID?
    public var label: String?
    /// The AES-128 key in clear; the store seals it with the row id before writing.
    public var key: [UInt8]?

    public init() {}
}

public struct MeteringPointFields: Sendable {
    public var address: String?
    public var postalCode: String?
    public var city: String?
    public var latitude: Double?
    public var longitude: Double?
    public var customerNumber: String?

    public init() {}
}

/// Seals meter keys for storage (the App's key vault); the row id is bound into the seal.
public protocol MeterKeySealing: Sendable {
    func seal(_ key: [UInt8], meter: Int64) throws -> [UInt8]
}

public struct MeterFilter: Sendable {
    public var query: String?
    public var medium: String?
    public var lifecycle: String?
    public var hasActiveInfoCodes: Bool?
    /// Only the meters of this group (nil: all).
    public var group: GroupSelector?

    public init(query: String? = nil, medium: String? = nil, lifecycle: String? = nil, hasActiveInfoCodes: Bool? = nil,
                group: GroupSelector? = nil) {
        self.query = query
        self.medium = medium
        self.lifecycle = lifecycle
        self.hasActiveInfoCodes = hasActiveInfoCodes
        self.group = group
    }
}

public struct MeterKeyStatusRecord: Sendable, Equatable {
    public var source: String
    public var updatedAt: Date
}

/// A stored key with what a field device needs to match it to telegrams; still sealed.
public struct SealedMeterKey: Sendable {
    public var rowID: Int64
    public var meterID: UUID
    public var manufacturer: String
    public var serial: String
    public var version: Int?
    public var deviceType: Int?
    public var sealed: [UInt8]
}

/// One row of a bulk import: its 0-based position in the input and what it writes.
public struct MeterImportRow: Sendable {
    public var index: Int
    public var fields: MeterFields

    public init(index: Int, fields: MeterFields) {
        self.index = index
        self.fields = fields
    }
}

public struct MeterImportOutcome: Sendable {
    public var created = 0
    public var updated = 0
    /// Rows the store refused (the tenant's metering-point limit), by input index, with the reason.
    public var rejected: [(index: Int, reason: String)] = []
}
