internal import API
internal import FoundationEssentials
internal import Store

/// Store records → API schemas.
extension Components.Schemas.Tenant {
    init(_ r: TenantRecord) {
        self.init(id: r.id, name: r.name, timeZone: r.timeZone, maxMeteringPoints: r.maxMeteringPoints,
                  createdAt: r.createdAt, updatedAt: r.updatedAt)
    }
}

extension Components.Schemas.User {
    init(_ r: UserRecord) {
        self.init(id: r.id, name: r.name, email: r.email, role: .init(rawValue: r.role) ?? .user,
                  createdAt: r.createdAt, updatedAt: r.updatedAt)
    }
}

extension Components.Schemas.Token {
    init(_ r: TokenRecord) {
        self.init(id: r.id, name: r.name, role: .init(rawValue: r.role) ?? .user, userId: r.userID, prefix: r.prefix,
                  keyAccess: r.keyAccess, createdAt: r.createdAt, expiresAt: r.expiresAt, lastUsedAt: r.lastUsedAt,
                  revokedAt: r.revokedAt)
    }
}

extension Components.Schemas.AuditEvent {
    init(_ r: AuditRecord) {
        self.init(id: String(r.id), time: r.time, type: r.type, principal: r.principal, userId: r.userID, tokenId: r.tokenID,
                  client: r.client, target: r.target, details: r.details)
    }
}

/// Permission names as the API's enum, in catalogue order (the catalogue and the enum are one list).
func permissionList(_ names: some Sequence<String>) -> [Components.Schemas.Permission] {
    let set = Set(names)
    return AccessModel.catalogue.filter(set.contains).compactMap(Components.Schemas.Permission.init(rawValue:))
}

/// Page sizes: 50 unless asked, at most 500 (the spec enforces the range).
func pageLimit(_ limit: Int?) -> Int { limit ?? 50 }
