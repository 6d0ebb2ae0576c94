internal import API
internal import FoundationEssentials
public import HTTPServer
public import Store

/// Store records → API schemas.
extension Components.Schemas.Group {
    init(_ r: GroupRecord) {
        self.init(id: r.id, name: r.name, virtual: r.isVirtual, meterCount: r.meterCount, createdAt: r.createdAt,
                  updatedAt: r.updatedAt)
    }
}

extension Components.Schemas.GroupMembersChange {
    init(_ r: GroupMembersChange) {
        self.init(changed: r.changed, meterCount: r.meterCount)
    }
}

/// Ids of a bulk membership change that are not the tenant's live meters: each gets a pointer,
/// and nothing changed (another tenant's meter reads like one that does not exist).
extension UnknownMeters: HTTPResponseError {
    public var problem: ProblemDetails {
        ProblemDetails(status: 422, detail: "\(indexes.count) of the meter ids are not meters of this tenant; nothing was changed.",
                       errors: indexes.map { .init(pointer: "/meterIds/\($0)", detail: "is not a meter of this tenant") })
    }
}
