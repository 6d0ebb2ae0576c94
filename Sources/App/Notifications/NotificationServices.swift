internal import Outbound
internal import Store

/// Notifications' moving parts, started and stopped with the server: the outbox worker (when
/// there is a transport), the notifier following the event feed, the digest scheduler, and
/// the handlers that tell them about changes.
final class NotificationServices: Sendable {
    let rules: NotificationRuleCache
    let worker: OutboxWorker?
    let notifier: Notifier
    let digests: DigestScheduler
    let handlers: NotificationHandlers

    /// `webhookSecret` finds a webhook's signing secret for its outbox rows (the webhooks' store
    /// provides it; without it, webhook rows fail as "The webhook no longer exists.").
    init(store: Store, vault: KeyVault, transport: (any MessageTransport)?, clock: any OutboxClock, maxAttempts: Int,
         webhookSecret: @escaping OutboxWorker.WebhookSecretLookup = { _, _ in nil }) {
        let rules = NotificationRuleCache(store: store)
        let worker = transport.map { transport in
            OutboxWorker(store: store, transport: transport,
                         channels: { tenant in try await StoredChannels.load(store, vault: vault, tenant: tenant) },
                         webhookSecret: webhookSecret, clock: clock, backoff: OutboxBackoff(maxAttempts: maxAttempts))
        }
        let wake: @Sendable () -> Void = { worker?.wake() }
        let digests = DigestScheduler(store: store, clock: clock, queued: wake)
        self.rules = rules
        self.worker = worker
        self.digests = digests
        notifier = Notifier(store: store, rules: rules, queued: wake)
        handlers = NotificationHandlers(store: store, channels: ChannelHandlers(store: store, vault: vault),
                                        rulesChanged: { tenant in
                                            rules.invalidate(tenant: tenant)
                                            digests.wake()
                                        },
                                        queued: wake)
    }

    func start() {
        worker?.start()
        notifier.start()
        digests.start()
    }

    func stop() async {
        await notifier.stop()
        await digests.stop()
        await worker?.stop()
    }
}
