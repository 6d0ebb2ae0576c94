public import FoundationEssentials

/// A group as lists show it: a tenant's group or a virtual one, with its live meters counted.
public struct GroupRecord: Sendable, Equatable {
    /// The group's uuid, or the virtual group's name.
    public var id: String
    public var name: String
    public var isVirtual: Bool
    public var meterCount: Int
    /// The row version, for ETags; 0 for virtual groups (they have none).
    public var revision: Int
    public var createdAt: Date?
    public var updatedAt: Date?

    /// What lists call the virtual groups (the product's sidebar).
    static func virtualName(_ selector: GroupSelector) -> String {
        switch selector {
        case .all: "All meters"
        case .nonGrouped: "Non-grouped meters"
        case .lastImported: "Last imported meters"
        case .priority: "Priority meters"
        case .group: ""
        }
    }
}

/// What a bulk membership change did.
public struct GroupMembersChange: Sendable, Equatable {
    /// Meters that joined (or left) with this request.
    public var changed: Int
    /// The group's live meters afterwards.
    public var meterCount: Int
}

/// Some ids of a bulk membership change are not live meters of the tenant: nothing changed.
/// `indexes` are their positions in the request.
public struct UnknownMeters: Error, Sendable, Equatable {
    public var indexes: [Int]
}

/// One meter on the map, with what its status derives from.
public struct MapMeterRecord: Sendable, Equatable {
    public var id: UUID
    public var manufacturer: String
    public var serial: String
    public var medium: String
    public var longitude: Double
    public var latitude: Double
    public var hasActiveInfoCodes: Bool
    /// The latest reception by any unit (Unix seconds); nil when never heard.
    public var lastHeard: Int64?
}

public struct MapUnitRecord: Sendable, Equatable {
    public var id: UUID
    public var type: String
    public var name: String
    public var longitude: Double
    public var latitude: Double
}

/// A map's content: what has coordinates (inside the box, when one is given), and how many of
/// the group's meters and the visible units have none.
public struct MapRecords: Sendable {
    public var meters: [MapMeterRecord] = []
    public var units: [MapUnitRecord] = []
    public var omittedMeters = 0
    public var omittedUnits = 0
}

/// `minLon,minLat,maxLon,maxLat`, validated by the caller.
public struct BoundingBox: Sendable, Equatable {
    public var minLongitude: Double
    public var minLatitude: Double
    public var maxLongitude: Double
    public var maxLatitude: Double

    public init(minLongitude: Double, minLatitude: Double, maxLongitude: Double, maxLatitude: Double) {
        self.minLongitude = minLongitude
        self.minLatitude = minLatitude
        self.maxLongitude = maxLongitude
        self.maxLatitude = maxLatitude
    }

    public func contains(longitude: Double, latitude: Double) -> Bool {
        longitude >= minLongitude && longitude <= maxLongitude && latitude >= minLatitude && latitude <= maxLatitude
    }
}
