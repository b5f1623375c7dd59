import type { AuditEntry } from '../registry/types.js';
import type { WebhookEventName } from './events.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});

/**
 * The webhook event an audited registry change announces, with its payload, built from the
 * audit entry written in the same transaction (so the delivery row can be written there too).
 * Undefined for changes that announce nothing (tokens, gates, subscriptions).
 */
export function webhookEventOf(e: AuditEntry): { event: WebhookEventName; data: Json } | undefined {
  const before = obj(e.before);
  const after = obj(e.after);
  switch (e.action) {
    case 'version.register':
      return {
        event: 'version.registered',
        data: {
          model: e.model,
          version: e.version,
          stage: after.stage,
          metrics: after.metrics,
          lineage: after.lineage,
          actor: e.actor,
          at: e.at,
        },
      };
    case 'version.transition':
    case 'version.transition.forced':
      return {
        event: 'version.transitioned',
        data: {
          model: e.model,
          version: e.version,
          from: before.stage,
          to: after.stage,
          forced: e.action === 'version.transition.forced',
          archived_version: after.archived_version ?? null,
          reason: e.reason,
          actor: e.actor,
          at: e.at,
        },
      };
    case 'model.rollback':
      return {
        event: 'model.rolled_back',
        data: {
          model: e.model,
          from_version: before.production_version,
          to_version: after.production_version,
          trigger: after.trigger,
          reason: e.reason,
          actor: e.actor,
          at: e.at,
        },
      };
    default:
      return undefined;
  }
}
