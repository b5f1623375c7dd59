import type { RegistryService } from '../registry/service.js';
import type { WebhookEventName } from '../webhooks/events.js';

export type Publish = (event: WebhookEventName, data: Record<string, unknown>) => void;

/**
 * Makes the registry announce its changes without the registry knowing about webhooks: the
 * three state-changing methods of the published service instance are wrapped so that, once
 * a call has committed, its result is published. Every caller that holds the registry service
 * (HTTP routes, the alert receiver, Grafana through the API) goes through the wrappers.
 * A failed call publishes nothing.
 */
export function announceRegistryChanges(registry: RegistryService, publish: Publish): void {
  const registerVersion = registry.registerVersion.bind(registry);
  const transition = registry.transition.bind(registry);
  const rollback = registry.rollback.bind(registry);

  registry.registerVersion = async (...args) => {
    const v = await registerVersion(...args);
    publish('version.registered', {
      model: v.model,
      version: v.version,
      stage: v.stage,
      metrics: v.metrics,
      lineage: v.lineage,
      actor: v.createdBy,
      at: v.createdAt,
    });
    return v;
  };
  registry.transition = async (...args) => {
    const t = await transition(...args);
    publish('version.transitioned', {
      model: t.model,
      version: t.version,
      from: t.from,
      to: t.to,
      forced: t.forced,
      archived_version: t.archivedVersion,
      reason: t.reason,
      actor: t.actor,
      at: t.at,
    });
    return t;
  };
  registry.rollback = async (...args) => {
    const r = await rollback(...args);
    publish('model.rolled_back', {
      model: r.model,
      from_version: r.fromVersion,
      to_version: r.toVersion,
      trigger: r.trigger,
      reason: r.reason,
      actor: r.actor,
      at: r.at,
    });
    return r;
  };
}
