public import FoundationEssentials

/// A live meter as ingest sees it: enough to match a telegram's address and open it.
public struct IngestMeter: Sendable {
    public var rowID: Int64
    public var id: UUID
    public var tenant: Int64
    public var manufacturer: String
    public var serial: String
    public var version: Int?
    public var deviceType: Int?
    public var sealedKey: [UInt8]?
    public var activeInfoCodes: String
}

/// Where a reading came from; stored as a small integer (0 and 1 cost no bytes in SQLite).
public enum ReadingSource: Int, Sendable, CaseIterable {
    case fixedNetwork = 0
    case driveBy = 1
    case pointToPoint = 2
    case wired = 3
    case imported = 4
    case manual = 5

    public var name: String {
        switch self {
        case .fixedNetwork: "fixed-network"
        case .driveBy: "drive-by"
        case .pointToPoint: "point-to-point"
        case .wired: "wired"
        case .imported: "import"
        case .manual: "manual"
        }
    }
}

/// One decoded telegram on its way into the database.
public struct IngestReading: Sendable {
    public var meter: Int64
    public var tenant: Int64
    /// Unix seconds: the meter's own time when the telegram carries it, else the reception's.
    public var time: Int64
    public var source: ReadingSource
    /// `ReadingCodec` bytes.
    public var data: [UInt8]
    public var unit: Int64
    public var receivedAt: Int64
    public var rssi: Int?
    /// Normalised info codes, comma-separated, to keep `meters.active_info_codes` current.
    public var infoCodes: String
    /// Per code of `infoCodes`, in its order: the bits of the meter's info-code register that
    /// raised it (kept on the occurrence). Empty when there are no codes.
    public var infoCodeMasks: [UInt64]

    public init(meter: Int64, tenant: Int64, time: Int64, source: ReadingSource, data: [UInt8],
                unit: Int64, receivedAt: Int64, rssi: Int?, infoCodes: String, infoCodeMasks: [UInt64] = []) {
        self.meter = meter
        self.tenant = tenant
        self.time = time
        self.source = source
        self.data = data
        self.unit = unit
        self.receivedAt = receivedAt
        self.rssi = rssi
        self.infoCodes = infoCodes
        self.infoCodeMasks = infoCodeMasks
    }
}

/// A telegram kept until it can be decoded.
public struct PendingTelegram: Sendable {
    public var unit: Int64
    /// Nil when no tenant using the unit knows the meter.
    public var tenant: Int64?
    public var kind: String
    public var manufacturer: String
    public var serial: String
    public var version: Int
    public var deviceType: Int
    public var frame: [UInt8]
    public var receivedAt: Int64
    public var rssi: Int?
    public var reason: String
    public var detail: String

    public init(unit: Int64, tenant: Int64?, kind: String, manufacturer: String, serial: String, version: Int, deviceType: Int,
                frame: [UInt8], receivedAt: Int64, rssi: Int?, reason: String, detail: String) {
        self.unit = unit
        self.tenant = tenant
        self.kind = kind
        self.manufacturer = manufacturer
        self.serial = serial
        self.version = version
        self.deviceType = deviceType
        self.frame = frame
        self.receivedAt = receivedAt
        self.rssi = rssi
        self.reason = reason
        self.detail = detail
    }
}

public struct PendingRecord: Sendable {
    public var rowID: Int64
    public var id: UUID
    public var unit: Int64
    public var unitID: UUID
    /// The unit's type: which reading source its telegrams are (fixed network, drive-by, ...).
    public var unitType: String
    public var telegram: PendingTelegram
    public var createdAt: Date
}

/// What the writer made of one decoded telegram.
public enum IngestOutcome: Sendable, Equatable {
    case stored
    case duplicate
}

public struct StoredReading: Sendable {
    public var time: Int64
    public var source: ReadingSource
    public var receptions: Int
    public var data: [UInt8]
}
