import { announceRegistryChanges } from '../../alerting/registry-events.js';
import { AlertingMetrics } from '../../collectors/alerting.js';
import { registerAlertmanagerRoutes } from '../../http/routes/alertmanager.js';
import { registerWebhookRoutes } from '../../http/routes/webhooks.js';
import type { RegistryService } from '../../registry/service.js';
import { KyselyWebhookStore } from '../../store/webhook-store.js';
import { WebhookDispatcher } from '../../webhooks/dispatcher.js';
import { webhookUrlProblem } from '../../webhooks/url-policy.js';
import { WebhookService } from '../../webhooks/webhook-service.js';
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
    // onOutcome runs only after deliveries start, by which time `metrics` exists.
    const dispatcher = new WebhookDispatcher({ policy, log: ctx.log, onOutcome: (o) => metrics.delivery(o) });
    const metrics = new AlertingMetrics(ctx.metrics, dispatcher);
    const webhooks = new WebhookService({
      store: new KyselyWebhookStore(ctx.database.db),
      dispatcher,
      policy,
      log: ctx.log,
      now: ctx.now,
      envWebhook,
    });
    announceRegistryChanges(registry, (event, data) => void webhooks.publish(event, data));
    services.webhooks = webhooks;
    services.webhookDispatcher = dispatcher;
    return {
      routes: (router, routeCtx) => {
        registerAlertmanagerRoutes(router, routeCtx, registry, (outcomes) => metrics.alertsHandled(outcomes));
        registerWebhookRoutes(router, routeCtx, webhooks);
      },
      close: () => dispatcher.close(),
    };
  },
};
