internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Store

/// Groups of meters and their membership; the virtual groups (`all`, `non-grouped`,
/// `last-imported`, `priority`) are read like groups but never changed (409).
struct GroupHandlers: Sendable {
    let store: Store

    func list(_ input: Operations.ListGroups.Input) async throws -> Operations.ListGroups.Output {
        let (virtual, page) = try await store.groups(tenant: RequestContext.required.tenant, limit: pageLimit(input.query.limit),
                                                     cursor: input.query.cursor)
        return .ok(.init(items: (virtual + page.items).map(Components.Schemas.Group.init), nextCursor: page.nextCursor))
    }

    func create(_ input: Operations.CreateGroup.Input) async throws -> Operations.CreateGroup.Output {
        let c = RequestContext.required
        let group = try await store.createGroup(tenant: c.tenant, name: try Self.name(input.body.name),
                                                audit: c.audit("group.created"))
        return .created(.init(group), eTag: ETag.format(group.revision), location: Self.path(group.id))
    }

    func get(_ input: Operations.GetGroup.Input) async throws -> Operations.GetGroup.Output {
        let group = try await store.group(tenant: RequestContext.required.tenant, try Self.selector(path: input.path.groupId))
        return .ok(.init(group), eTag: group.isVirtual ? nil : ETag.format(group.revision))
    }

    func update(_ input: Operations.UpdateGroup.Input) async throws -> Operations.UpdateGroup.Output {
        let c = RequestContext.required
        let id = try Self.changeable(input.path.groupId)
        let group = try await store.renameGroup(tenant: c.tenant, id: id, name: try Self.name(input.body.name),
                                                ifVersion: ETag.required(input.headers.ifMatch),
                                                audit: c.audit("group.renamed", target: Self.path(id)))
        return .ok(.init(group), eTag: ETag.format(group.revision))
    }

    func delete(_ input: Operations.DeleteGroup.Input) async throws -> Operations.DeleteGroup.Output {
        let c = RequestContext.required
        let id = try Self.changeable(input.path.groupId)
        try await store.deleteGroup(tenant: c.tenant, id: id, ifVersion: ETag.required(input.headers.ifMatch),
                                    audit: c.audit("group.deleted", target: Self.path(id)))
        return .noContent
    }

    func addMembers(_ input: Operations.AddGroupMembers.Input) async throws -> Operations.AddGroupMembers.Output {
        .ok(.init(try await changeMembers(input.path.groupId, input.body.meterIds, adding: true)))
    }

    func removeMembers(_ input: Operations.RemoveGroupMembers.Input) async throws -> Operations.RemoveGroupMembers.Output {
        .ok(.init(try await changeMembers(input.path.groupId, input.body.meterIds, adding: false)))
    }

    private func changeMembers(_ groupId: String, _ meterIds: [UUID], adding: Bool) async throws -> GroupMembersChange {
        let c = RequestContext.required
        let id = try Self.changeable(groupId)
        return try await store.changeGroupMembers(tenant: c.tenant, id: id, meters: meterIds, adding: adding,
                                                  audit: c.audit(adding ? "group.members-added" : "group.members-removed",
                                                                 target: Self.path(id)))
    }

    static func path(_ id: String) -> String { "/v1/groups/\(id)" }
    static func path(_ id: UUID) -> String { path(id.uuidString.lowercased()) }

    /// The contract's pattern admits only what `GroupSelector` reads; this guards the rest
    /// (`$` also matches before a final line break).
    static func selector(path text: String) throws -> GroupSelector {
        try selector(text, pointer: "#/path/groupId")
    }

    static func selector(query text: String?) throws -> GroupSelector? {
        try text.map { try selector($0, pointer: "#/query/group") }
    }

    private static func selector(_ text: String, pointer: String) throws -> GroupSelector {
        guard let selector = GroupSelector(parameter: text) else {
            throw ProblemDetails(status: 400, detail: "The request does not match the API contract.",
                                 errors: [.init(pointer: pointer, detail: "is neither a group id nor a virtual group's name")])
        }
        return selector
    }

    /// A tenant's group, which may change; a virtual one is derived from the meters (409).
    static func changeable(_ text: String) throws -> UUID {
        let selector = try selector(path: text)
        guard case .group(let id) = selector else {
            let hint = selector == .priority ? " Priority meters are set through /v1/priority-meters." : ""
            throw ProblemDetails(status: 409, detail: "The virtual group '\(text)' is derived from the meters and cannot be changed.\(hint)")
        }
        return id
    }

    /// The contract bounds the length; a name of spaces only says nothing.
    static func name(_ name: String) throws -> String {
        let trimmed = name.trimmedSpaces()
        guard !trimmed.isEmpty else {
            throw ProblemDetails(status: 422, detail: "A group needs a name.", errors: [.init(pointer: "/name", detail: "must not be blank")])
        }
        return trimmed
    }
}
