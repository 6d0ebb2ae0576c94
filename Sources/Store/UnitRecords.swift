public import FoundationEssentials

/// A concentrator, gateway, M-Bus master or field device as a tenant sees it: its own, or one
/// another tenant shares with it (`owned == false`).
public struct CollectionUnitRecord: Sendable, Equatable {
    public var rowID: Int64
    public var id: UUID
    public var type: String
    public var name: String
    public var capacity: Int
    public var address: String?
    public var latitude: Double?
    public var longitude: Double?
    public var description: String?
    public var owned: Bool
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date
}

/// The fields a unit is created or changed with; nil leaves a field as it is on update.
public struct CollectionUnitFields: Sendable {
    public var name: String?
    public var capacity: Int?
    public var address: String?
    public var latitude: Double?
    public var longitude: Double?
    public var description: String?

    public init(name: String? = nil, capacity: Int? = nil, address: String? = nil, latitude: Double? = nil,
                longitude: Double? = nil, description: String? = nil) {
        self.name = name
        self.capacity = capacity
        self.address = address
        self.latitude = latitude
        self.longitude = longitude
        self.description = description
    }
}

public enum CollectionUnitKind {
    public static let types = ["concentrator", "concentrator-1m", "mini-concentrator", "4g-bridge", "mbus-master", "field-device"]

    /// The product's capacities: READy Concentrator and Concentrator 1M 10,000 meters, Mini
    /// Concentrator 25, 4G Bridge 5, M-Bus Master (MultiPort 250) 250. A drive-by unit reads
    /// whatever it drives past, so it gets the concentrator's figure.
    public static func defaultCapacity(_ type: String) -> Int {
        switch type {
        case "mini-concentrator": 25
        case "4g-bridge": 5
        case "mbus-master": 250
        default: 10_000
        }
    }

    /// The machine role of the tokens a unit of this type is given.
    public static func tokenRole(_ type: String) -> String { type == "field-device" ? "field-device" : "collector" }
}

/// A tenant the unit is shared with, as its owner sees it.
public struct UnitShareRecord: Sendable, Equatable {
    public var tenantID: UUID
    public var tenantName: String
    public var since: Date
}

/// A share code's public part; the code itself exists only in the creating response.
public struct ShareCodeRecord: Sendable, Equatable {
    public var unitID: UUID
    public var expiresAt: Date
}

/// One meter a unit hears. Times are whole seconds (ingest stores Unix seconds).
public struct HeardMeterRecord: Sendable, Equatable {
    public var meterID: UUID
    public var manufacturer: String
    public var serial: String
    public var firstHeard: Date
    public var lastHeard: Date
    public var lastRSSI: Int?
    public var averageRSSI: Double?
    public var count: Int
}

/// One unit that hears a meter.
public struct ReceptionRecord: Sendable, Equatable {
    public var unitID: UUID
    public var unitName: String
    public var unitType: String
    public var firstHeard: Date
    public var lastHeard: Date
    public var lastRSSI: Int?
    public var averageRSSI: Double?
    public var count: Int
}

/// Receptions of one meter by one unit, summed by ingest over a batch; `upsertHeard` adds them
/// to the stored figures. Times in Unix seconds.
public struct HeardUpdate: Sendable, Equatable {
    public var unit: Int64
    public var meter: Int64
    public var firstHeard: Int64
    public var lastHeard: Int64
    /// The RSSI of the latest reception in the batch (dBm), when it reported one.
    public var lastRssi: Int64?
    public var rssiSum: Int64
    public var rssiCount: Int64
    public var count: Int64

    public init(unit: Int64, meter: Int64, firstHeard: Int64, lastHeard: Int64, lastRssi: Int64?, rssiSum: Int64,
                rssiCount: Int64, count: Int64) {
        self.unit = unit
        self.meter = meter
        self.firstHeard = firstHeard
        self.lastHeard = lastHeard
        self.lastRssi = lastRssi
        self.rssiSum = rssiSum
        self.rssiCount = rssiCount
        self.count = count
    }
}

/// The caller may see the unit (it is shared with its tenant) but only the owner may do this.
public struct NotUnitOwner: Error, Sendable, Equatable {
    public var detail: String
}
