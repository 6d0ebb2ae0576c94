public import FoundationEssentials

/// A meter and its key as a key file or key server delivered it, checked by the caller.
public struct DeliveredKey: Sendable, Equatable {
    /// The entry's position in what was delivered (0-based), for the report.
    public var index: Int
    public var manufacturer: String
    public var serial: String
    public var version: Int?
    public var deviceType: Int?
    public var model: String?
    /// The medium a new meter gets.
    public var medium: String
    public var key: [UInt8]

    public init(index: Int, manufacturer: String, serial: String, version: Int?, deviceType: Int?, model: String?,
                medium: String, key: [UInt8]) {
        self.index = index
        self.manufacturer = manufacturer
        self.serial = serial
        self.version = version
        self.deviceType = deviceType
        self.model = model
        self.medium = medium
        self.key = key
    }
}

/// Seals keys and opens them again: a delivered key equal to the stored one changes nothing.
public protocol MeterKeyOpening: MeterKeySealing {
    func unseal(_ sealed: [UInt8], meter: Int64) throws -> [UInt8]
}

public struct KeyDeliveryOutcome: Sendable, Equatable {
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public init() {}
}

/// The tenant's key-server configuration; the token itself never leaves the store unsealed
/// except to the sync client (`sealedToken`).
public struct KeySyncSettingsRecord: Sendable, Equatable {
    public var baseURL: String
    public var sealedToken: [UInt8]?
    public var clientCertificatePath: String?
    public var clientKeyPath: String?
    public var intervalMinutes: Int?
    public var verifyPeer: Bool
    public var caFile: String?
    public var cursor: String?
    public var version: Int
    public var updatedAt: Date

    public init(baseURL: String, sealedToken: [UInt8]?, clientCertificatePath: String?, clientKeyPath: String?,
                intervalMinutes: Int?, verifyPeer: Bool, caFile: String?, cursor: String? = nil, version: Int = 1,
                updatedAt: Date = Date(timeIntervalSince1970: 0)) {
        self.baseURL = baseURL
        self.sealedToken = sealedToken
        self.clientCertificatePath = clientCertificatePath
        self.clientKeyPath = clientKeyPath
        self.intervalMinutes = intervalMinutes
        self.verifyPeer = verifyPeer
        self.caFile = caFile
        self.cursor = cursor
        self.version = version
        self.updatedAt = updatedAt
    }
}

public struct KeySyncRunRecord: Sendable, Equatable {
    public var rowID: Int64
    public var id: UUID
    public var trigger: String
    public var state: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var received: Int
    public var created: Int
    public var updated: Int
    public var unchanged: Int
    public var rejected: Int
    public var startCursor: String?
    public var cursor: String?
    public var error: String?
    public var errors: [KeySyncRunError]
}

public struct KeySyncRunError: Error, Sendable, Equatable {
    public var serial: String
    public var reason: String
    public init(serial: String, reason: String) {
        self.serial = serial
        self.reason = reason
    }
}
