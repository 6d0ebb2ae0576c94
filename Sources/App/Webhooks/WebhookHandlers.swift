internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Store

/// Webhooks: a URL subscribed to event types. `WebhookDispatcher` queues their calls; the
/// outbox worker sends them, signed with the secret made here.
struct WebhookHandlers: Sendable {
    let store: Store
    let secrets: WebhookSecrets

    func list(_ input: Operations.ListWebhooks.Input) async throws -> Operations.ListWebhooks.Output {
        let page = try await store.webhooks(tenant: RequestContext.required.tenant, limit: pageLimit(input.query.limit),
                                            cursor: input.query.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.Webhook.init), nextCursor: page.nextCursor))
    }

    func create(_ input: Operations.CreateWebhook.Input) async throws -> Operations.CreateWebhook.Output {
        let c = RequestContext.required
        let body = input.body
        try Self.check(url: body.url)
        let (key, shown) = try WebhookSecrets.generate()
        let secrets = secrets
        let hook = try await store.createWebhook(tenant: c.tenant, url: body.url, eventTypes: Self.types(body.eventTypes),
                                                 active: body.active ?? true, description: body.description ?? "",
                                                 seal: { try secrets.seal(key, webhookRowID: $0) },
                                                 audit: c.audit("webhook.created"))
        return .created(.init(webhook: .init(hook), secret: shown), eTag: ETag.format(hook.revision), location: Self.path(hook.id))
    }

    func get(_ input: Operations.GetWebhook.Input) async throws -> Operations.GetWebhook.Output {
        let hook = try await store.webhook(tenant: RequestContext.required.tenant, id: input.path.webhookId)
        return .ok(.init(hook), eTag: ETag.format(hook.revision))
    }

    func update(_ input: Operations.UpdateWebhook.Input) async throws -> Operations.UpdateWebhook.Output {
        let c = RequestContext.required
        let body = input.body
        if let url = body.url { try Self.check(url: url) }
        let id = input.path.webhookId
        let changes = WebhookChanges(url: body.url, eventTypes: body.eventTypes.map(Self.types), active: body.active,
                                     description: body.description)
        let hook = try await store.updateWebhook(tenant: c.tenant, id: id, changes, ifVersion: ETag.required(input.headers.ifMatch),
                                                 audit: c.audit("webhook.updated", target: Self.path(id)))
        return .ok(.init(hook), eTag: ETag.format(hook.revision))
    }

    func delete(_ input: Operations.DeleteWebhook.Input) async throws -> Operations.DeleteWebhook.Output {
        let c = RequestContext.required
        let id = input.path.webhookId
        try await store.deleteWebhook(tenant: c.tenant, id: id, ifVersion: ETag.required(input.headers.ifMatch),
                                      audit: c.audit("webhook.deleted", target: Self.path(id)))
        return .noContent
    }

    func rotateSecret(_ input: Operations.RotateWebhookSecret.Input) async throws -> Operations.RotateWebhookSecret.Output {
        let c = RequestContext.required
        let id = input.path.webhookId
        let (key, shown) = try WebhookSecrets.generate()
        let secrets = secrets
        let hook = try await store.rotateWebhookSecret(tenant: c.tenant, id: id, seal: { try secrets.seal(key, webhookRowID: $0) },
                                                       audit: c.audit("webhook.secret-rotated", target: Self.path(id)))
        return .ok(.init(webhook: .init(hook), secret: shown), eTag: ETag.format(hook.revision))
    }

    func deliveries(_ input: Operations.ListWebhookDeliveries.Input) async throws -> Operations.ListWebhookDeliveries.Output {
        let page = try await store.webhookDeliveries(tenant: RequestContext.required.tenant, id: input.path.webhookId,
                                                     limit: pageLimit(input.query.limit), cursor: input.query.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.WebhookDelivery.init), nextCursor: page.nextCursor))
    }

    static func path(_ id: UUID) -> String { "/v1/webhooks/\(id.uuidString.lowercased())" }

    static func check(url: String) throws {
        if let detail = WebhookURL.problem(url) {
            throw ProblemDetails(status: 422, detail: "The webhook's URL is not acceptable.", errors: [.init(pointer: "/url", detail: detail)])
        }
    }

    static func types(_ types: [Components.Schemas.WebhookEventType]) -> [EventType] {
        types.compactMap { EventType(rawValue: $0.rawValue) }
    }
}
