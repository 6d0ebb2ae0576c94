internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Outbound
internal import Store

/// Notification rules, their test messages and the delivery log.
struct NotificationHandlers: Sendable {
    let store: Store
    /// The tenant's channel settings (the same resource family, one stored property in FjernAPI).
    let channels: ChannelHandlers
    /// A tenant's rules changed (the notifier's cache and the digest schedule).
    let rulesChanged: @Sendable (_ tenant: Int64) -> Void
    /// A message was queued (wakes the outbox worker).
    let queued: @Sendable () -> Void

    func list(_ input: Operations.ListNotificationRules.Input) async throws -> Operations.ListNotificationRules.Output {
        let page = try await store.notificationRules(tenant: RequestContext.required.tenant, limit: pageLimit(input.query.limit),
                                                     cursor: input.query.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.NotificationRule.init), nextCursor: page.nextCursor))
    }

    func create(_ input: Operations.CreateNotificationRule.Input) async throws -> Operations.CreateNotificationRule.Output {
        let c = RequestContext.required
        let fields = try NotificationRuleInput.fields(input.body)
        try await checkGroup(fields.group, tenant: c.tenant)
        let rule = try await store.createNotificationRule(
            tenant: c.tenant, fields: fields, digestNextAt: NotificationRuleInput.nextDigest(fields, zoneName: c.credential.tenant.timeZone),
            audit: c.audit("notification-rule.created"))
        rulesChanged(c.tenant)
        return .created(.init(rule), eTag: ETag.format(rule.version), location: Self.path(rule.id))
    }

    func get(_ input: Operations.GetNotificationRule.Input) async throws -> Operations.GetNotificationRule.Output {
        let rule = try await store.notificationRule(tenant: RequestContext.required.tenant, id: input.path.ruleId)
        return .ok(.init(rule), eTag: ETag.format(rule.version))
    }

    func update(_ input: Operations.UpdateNotificationRule.Input) async throws -> Operations.UpdateNotificationRule.Output {
        let c = RequestContext.required
        let id = input.path.ruleId, body = input.body, zone = c.credential.tenant.timeZone
        if let group = body.group {
            _ = try await store.notificationRule(tenant: c.tenant, id: id) // 404 before 422
            try await checkGroup(group.lowercased(), tenant: c.tenant)
        }
        let rule = try await store.updateNotificationRule(
            tenant: c.tenant, id: id, ifVersion: ETag.required(input.headers.ifMatch),
            audit: c.audit("notification-rule.updated", target: Self.path(id))
        ) { current in
            let fields = try NotificationRuleInput.merged(current, body)
            return (fields, NotificationRuleInput.nextDigest(fields, zoneName: zone))
        }
        rulesChanged(c.tenant)
        return .ok(.init(rule), eTag: ETag.format(rule.version))
    }

    func delete(_ input: Operations.DeleteNotificationRule.Input) async throws -> Operations.DeleteNotificationRule.Output {
        let c = RequestContext.required
        let id = input.path.ruleId
        try await store.deleteNotificationRule(tenant: c.tenant, id: id, ifVersion: ETag.required(input.headers.ifMatch),
                                               audit: c.audit("notification-rule.deleted", target: Self.path(id)))
        rulesChanged(c.tenant)
        return .noContent
    }

    func test(_ input: Operations.TestNotificationRule.Input) async throws -> Operations.TestNotificationRule.Output {
        let c = RequestContext.required
        let id = input.path.ruleId
        let tenant = c.tenant
        let queuedID = try await store.enqueueNotificationTest(
            tenant: tenant, rule: id,
            message: { rule in
                let text = "Test message from Fjern: notifications of this rule reach \(rule.fields.recipient)."
                let message = NotificationText.message(for: rule.fields, fallbackSubject: "Fjern test notification", body: text)
                return try NotificationText.entry(tenant: tenant, rule: rule.rowID, fields: rule.fields, origin: .notificationTest,
                                                  message: message)
            },
            audit: c.audit("notification-rule.tested", target: Self.path(id)))
        queued()
        return .accepted(.init(deliveryId: queuedID))
    }

    func deliveries(_ input: Operations.ListNotificationDeliveries.Input) async throws -> Operations.ListNotificationDeliveries.Output {
        let q = input.query
        let state: Int64? = q.state.map { switch $0 { case .pending: 0; case .delivered: 1; case .failed: 2 } }
        let page = try await store.notificationDeliveries(tenant: RequestContext.required.tenant, rule: q.ruleId, state: state,
                                                          limit: pageLimit(q.limit), cursor: q.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.NotificationDelivery.init), nextCursor: page.nextCursor))
    }

    static func path(_ id: UUID) -> String { "/v1/notification-rules/\(id.uuidString.lowercased())" }

    /// A rule may name only the tenant's own groups (422, like any invalid field).
    private func checkGroup(_ group: String, tenant: Int64) async throws {
        guard GroupSelector(parameter: group)?.virtualName == nil, let id = UUID(uuidString: group) else { return }
        guard try await store.groupExists(tenant: tenant, id: id) else {
            throw ProblemDetails(status: 422, detail: "No such group in this tenant.",
                                 errors: [.init(pointer: "/group", detail: "is not one of the tenant's groups")])
        }
    }
}
