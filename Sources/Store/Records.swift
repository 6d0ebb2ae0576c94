public import FoundationEssentials

/// Rows as the rest of the server sees them: tenant-scoped, public ids only.
public struct TenantRecord: Sendable, Equatable {
    public var rowID: Int64
    public var id: UUID
    public var name: String
    public var timeZone: String
    public var maxMeteringPoints: Int
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date
}

public struct UserRecord: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var email: String
    public var role: String
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date
}

public struct TokenRecord: Sendable, Equatable {
    public var id: UUID
    public var name: String
    /// The service token's role, or the user's current role for a person's token.
    public var role: String
    public var userID: UUID?
    public var prefix: String
    public var keyAccess: Bool
    public var createdAt: Date
    public var expiresAt: Date?
    public var lastUsedAt: Date?
    public var revokedAt: Date?
    /// The collection unit (row id) a collector or field-device token speaks for; ingest
    /// attributes what it posts to this unit. nil for every other token.
    public var collectionUnitID: Int64? = nil
}

/// Everything authentication needs, from one indexed lookup by the token's hash.
public struct Credential: Sendable {
    public var hash: [UInt8]
    public var token: TokenRecord
    public var tenant: TenantRecord
    /// The user's name for a person's token; the token's name for a service token.
    public var principalName: String
}

public struct AuditRecord: Sendable, Equatable {
    public var id: Int64
    public var time: Date
    public var type: String
    public var principal: String
    public var userID: UUID?
    public var tokenID: UUID?
    public var client: String
    public var target: String?
    public var details: String?
}

/// Who did it and from where; written with the change it describes, in the same transaction.
public struct AuditEntry: Sendable {
    public var type: String
    public var principal: String
    public var userID: UUID?
    public var tokenID: UUID?
    public var client: String
    public var target: String?
    public var details: String?

    public init(type: String, principal: String, userID: UUID? = nil, tokenID: UUID? = nil, client: String,
                target: String? = nil, details: String? = nil) {
        self.type = type
        self.principal = principal
        self.userID = userID
        self.tokenID = tokenID
        self.client = client
        self.target = target
        self.details = details
    }
}

/// A page of a list and the cursor of the next one (nil on the last page).
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?
}
