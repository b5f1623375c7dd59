import { announceRegistryChanges } from '../../alerting/registry-events.js';
import { AlertingMetrics } from '../../collectors/alerting.js';
import { registerAlertmanagerRoutes } from '../../http/routes/alertmanager.js';
import { registerWebhookRoutes } from '../../http/routes/webhooks.js';
import type { RegistryService } from '../../registry/service.js';
import { KyselyWebhookStore } from '../../store/webhook-store.js';
import { WebhookDispatcher } from '../../webhooks/dispatcher.js';
import { webhookUrlProblem } from '../../webhooks/url-policy.js';
import { ENV_WEBHOOK_ID, WebhookService, type DeliveryView } from '../../webhooks/webhook-service.js';
import { OutboxRelay, writeDeliveriesInTransaction } from '../../webhooks/outbox.js';
import { OutboxStore, type OutboxRow } from '../../store/outbox-store.js';
import type { Feature } from '../feature.js';

/**
 * Alerting (issue 5, exporter side): the Alertmanager receiver that rolls back, and outbound
 * webhooks announcing registry changes. Needs `services.registry`, so it comes after the
 * registry feature; publishes `services.webhooks`.
 */
export const alertingFeature: Feature = {
  name: 'alerting',
  init: async (ctx, services) => {
    const registry = services.registry as RegistryService | undefined;
    if (!registry) throw new Error('the alerting feature needs services.registry: list it after the registry feature');
    const policy = { allowPrivate: ctx.config.webhookAllowPrivate };
    const envWebhook = ctx.config.webhook;
    if (envWebhook) {
      const problem = await webhookUrlProblem(envWebhook.url, policy);
      // A name that does not resolve yet may later; an address that is refused never will.
      if (problem && !/does not resolve/.test(problem)) throw new Error(`MODELWATCH_WEBHOOK_URL ${problem}`);
      if (problem) ctx.log.warn({ problem }, 'MODELWATCH_WEBHOOK_URL does not resolve yet; deliveries will retry');
    }
    // One attempt per dispatch: the outbox relay keeps the retry schedule in the store.
    const dispatcher = new WebhookDispatcher({ policy, log: ctx.log, maxAttempts: 1, maxPending: 100 });
    const outbox = new OutboxStore(ctx.database.db);
    const store = new KyselyWebhookStore(ctx.database.db);
    writeDeliveriesInTransaction(ctx.database.db, outbox, envWebhook?.events);
    // onOutcome runs only after deliveries start, by which time `metrics` exists.
    const relay = new OutboxRelay({
      store: outbox,
      dispatcher,
      targets: async () => {
        const targets = new Map((await store.list()).map((h) => [h.id, { id: h.id, url: h.url, secret: h.secret }]));
        if (envWebhook) targets.set(ENV_WEBHOOK_ID, { id: ENV_WEBHOOK_ID, url: envWebhook.url, secret: envWebhook.secret });
        return targets;
      },
      log: ctx.log,
      onOutcome: (o) => metrics.delivery(o),
    });
    const metrics = new AlertingMetrics(ctx.metrics, relay);
    const webhooks = new WebhookService({
      store,
      wake: () => relay.wake(),
      recentDeliveries: async (id, limit) => (await outbox.recent(id, limit)).map(deliveryView),
      policy,
      log: ctx.log,
      now: ctx.now,
      envWebhook,
    });
    relay.start();
    announceRegistryChanges(registry, (event, data) => void webhooks.publish(event, data));
    services.webhooks = webhooks;
    services.webhookDispatcher = relay;
    return {
      routes: (router, routeCtx) => {
        registerAlertmanagerRoutes(router, routeCtx, registry, (outcomes) => metrics.alertsHandled(outcomes));
        registerWebhookRoutes(router, routeCtx, webhooks);
      },
      close: () => relay.close(),
    };
  },
};

function deliveryView(r: OutboxRow): DeliveryView {
  return {
    id: r.id,
    event: r.event,
    status: r.status as DeliveryView['status'],
    attempts: r.attempts,
    last_status: r.last_status,
    last_error: r.last_error,
    created_at: r.created_at,
    finished_at: r.finished_at,
  };
}
