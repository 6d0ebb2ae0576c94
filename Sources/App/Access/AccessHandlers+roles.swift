internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Store

extension AccessHandlers {
    func listRoles() async throws -> Operations.ListRoles.Output {
        let matrix = try await store.rolePermissions(tenant: RequestContext.required.tenant)
        let roles = AccessModel.roles.map { name in
            Components.Schemas.Role(name: .init(rawValue: name)!, kind: AccessModel.machineRoles.contains(name) ? .machine : .human,
                                    editable: AccessModel.editableRoles.contains(name),
                                    permissions: permissionList(matrix[name]?.permissions ?? []))
        }
        return .ok(.init(roles: roles, permissions: permissionList(AccessModel.catalogue)))
    }

    func rolePermissions(_ input: Operations.GetRolePermissions.Input) async throws -> Operations.GetRolePermissions.Output {
        let role = input.path.role.rawValue
        let entry = try await store.rolePermissions(tenant: RequestContext.required.tenant)[role] ?? ([], 1)
        return .ok(.init(role: .init(rawValue: role)!, permissions: permissionList(entry.permissions)), eTag: ETag.format(entry.version))
    }

    func setRolePermissions(_ input: Operations.SetRolePermissions.Input) async throws -> Operations.SetRolePermissions.Output {
        let c = RequestContext.required
        let role = input.path.role.rawValue
        guard AccessModel.editableRoles.contains(role) else {
            throw ProblemDetails(status: 422, detail: "The permissions of '\(role)' are fixed; only user and superuser can be changed.")
        }
        let requested = input.body.permissions.map(\.rawValue)
        let refused = requested.enumerated().filter { !AccessModel.grantable.contains($0.element) }
        guard refused.isEmpty else {
            throw ProblemDetails(status: 422, detail: "These permissions cannot be granted to \(role).",
                                 errors: refused.map { .init(pointer: "/permissions/\($0.offset)", detail: "'\($0.element)' is not grantable") })
        }
        let result = try await store.setRolePermissions(
            tenant: c.tenant, role: role, permissions: requested, ifVersion: ETag.required(input.headers.ifMatch),
            audit: c.audit("permissions.changed", target: "/v1/roles/\(role)/permissions",
                           details: #"{"permissions":[\#(requested.map { "\"\($0)\"" }.joined(separator: ","))]}"#))
        permissions.invalidate(tenant: c.tenant)
        return .ok(.init(role: input.path.role == .user ? .user : .superuser, permissions: permissionList(result.permissions)),
                   eTag: ETag.format(result.version))
    }

    func auditEvents(_ input: Operations.ListAuditEvents.Input) async throws -> Operations.ListAuditEvents.Output {
        let q = input.query
        let page = try await store.auditEvents(tenant: RequestContext.required.tenant, from: q.from, to: q.to, type: q.type,
                                               user: q.user, limit: pageLimit(q.limit), cursor: q.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.AuditEvent.init), nextCursor: page.nextCursor))
    }
}
