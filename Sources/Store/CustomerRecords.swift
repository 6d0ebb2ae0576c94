public import FoundationEssentials

/// A customer as the rest of the server sees it; `rowID` stays inside the server.
public struct CustomerRecord: Sendable, Equatable {
    public var rowID: Int64
    public var id: UUID
    public var customerNumber: String
    public var name: String?
    public var phone: String?
    public var email: String?
    public var address: String?
    public var postalCode: String?
    public var city: String?
    /// The row version, for ETags.
    public var revision: Int
    public var createdAt: Date
    public var updatedAt: Date
}

/// Fields to write. nil leaves a field as it is (on create: absent); on update an empty string
/// clears an optional field.
public struct CustomerFields: Sendable, Equatable {
    public var customerNumber: String?
    public var name: String?
    public var phone: String?
    public var email: String?
    public var address: String?
    public var postalCode: String?
    public var city: String?

    public init(customerNumber: String? = nil, name: String? = nil, phone: String? = nil, email: String? = nil,
                address: String? = nil, postalCode: String? = nil, city: String? = nil) {
        self.customerNumber = customerNumber
        self.name = name
        self.phone = phone
        self.email = email
        self.address = address
        self.postalCode = postalCode
        self.city = city
    }
}

/// One valid row of a customer import: its 0-based position in the input and what it writes
/// (`customerNumber` is always present: rows are matched by it).
public struct CustomerImportRow: Sendable {
    public var index: Int
    public var fields: CustomerFields

    public init(index: Int, fields: CustomerFields) {
        self.index = index
        self.fields = fields
    }
}

public struct CustomerImportOutcome: Sendable, Equatable {
    public var created = 0
    public var updated = 0
}

/// Everything held about one customer (GDPR art. 15/20), as read for its export.
public struct CustomerExportRecord: Sendable {
    public var customer: CustomerRecord
    public var points: [CustomerExportPoint]
    /// The audit events whose target is the customer, oldest first.
    public var audit: [AuditRecord]
    /// More readings exist in the window than the export's cap.
    public var truncated: Bool
}

public struct CustomerExportPoint: Sendable {
    public var id: UUID
    public var address: String?
    public var postalCode: String?
    public var city: String?
    public var latitude: Double?
    public var longitude: Double?
    public var installations: [CustomerExportInstallation]
}

public struct CustomerExportInstallation: Sendable {
    public var meterID: UUID
    public var manufacturer: String
    public var serial: String
    public var medium: String
    public var model: String?
    public var installedAt: Date
    public var removedAt: Date?
    /// The meter's readings while installed here, within the export's window, in time order.
    public var readings: [StoredReading]
}
