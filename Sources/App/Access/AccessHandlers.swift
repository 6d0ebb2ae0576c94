internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Store

/// Tenant, users, tokens, role permissions and the audit log. Every change is written with its
/// audit event in one transaction by the store.
struct AccessHandlers: Sendable {
    let store: Store
    let permissions: PermissionCache

    func me() -> Operations.GetMe.Output {
        let c = RequestContext.required
        let token = c.credential.token
        return .ok(.init(kind: token.userID == nil ? .service : .person, name: c.credential.principalName,
                         userId: token.userID, role: .init(rawValue: token.role) ?? .user, permissions: permissionList(c.permissions),
                         tenant: c.credential.tenant.name, tokenId: token.id))
    }

    func tenant() async throws -> Operations.GetTenant.Output {
        let record = try await store.tenant(rowID: RequestContext.required.tenant)
        return .ok(.init(record), eTag: ETag.format(record.version))
    }

    func updateTenant(_ input: Operations.UpdateTenant.Input) async throws -> Operations.UpdateTenant.Output {
        let c = RequestContext.required
        if let zone = input.body.timeZone, !TimeZoneName.isValid(zone) {
            throw ProblemDetails(status: 422, detail: "'\(zone)' is not an IANA time zone.",
                                 errors: [.init(pointer: "/timeZone", detail: "unknown time zone")])
        }
        let record = try await store.updateTenant(rowID: c.tenant, name: input.body.name, timeZone: input.body.timeZone,
                                                  ifVersion: ETag.required(input.headers.ifMatch),
                                                  audit: c.audit("tenant.updated", target: "/v1/tenant"))
        return .ok(.init(record), eTag: ETag.format(record.version))
    }

    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        let page = try await store.users(tenant: RequestContext.required.tenant, limit: pageLimit(input.query.limit),
                                         cursor: input.query.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.User.init), nextCursor: page.nextCursor))
    }

    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        let c = RequestContext.required
        // The contract's pattern has checked the e-mail's shape.
        let user = try await store.createUser(tenant: c.tenant, name: input.body.name, email: input.body.email,
                                              role: input.body.role.rawValue, audit: c.audit("user.created"))
        let id = user.id.uuidString.lowercased()
        return .created(.init(user), eTag: ETag.format(user.version), location: "/v1/users/\(id)")
    }

    func user(_ input: Operations.GetUser.Input) async throws -> Operations.GetUser.Output {
        let user = try await store.user(tenant: RequestContext.required.tenant, id: input.path.userId)
        return .ok(.init(user), eTag: ETag.format(user.version))
    }

    func updateUser(_ input: Operations.UpdateUser.Input) async throws -> Operations.UpdateUser.Output {
        let c = RequestContext.required
        let id = input.path.userId
        let user = try await store.updateUser(tenant: c.tenant, id: id, name: input.body.name, email: input.body.email,
                                              role: input.body.role?.rawValue, ifVersion: ETag.required(input.headers.ifMatch),
                                              audit: c.audit("user.updated", target: "/v1/users/\(id.uuidString.lowercased())"))
        return .ok(.init(user), eTag: ETag.format(user.version))
    }

    func deleteUser(_ input: Operations.DeleteUser.Input) async throws -> Operations.DeleteUser.Output {
        let c = RequestContext.required
        let id = input.path.userId
        try await store.deleteUser(tenant: c.tenant, id: id, ifVersion: ETag.required(input.headers.ifMatch),
                                   audit: c.audit("user.deleted", target: "/v1/users/\(id.uuidString.lowercased())"))
        return .noContent
    }
}
