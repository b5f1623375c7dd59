import type { RegistryEvent } from '../registry/events.js';
import { presentRollback, presentTransitionResult, presentVersion } from '../registry/presenters.js';
import type { WebhookEventName } from './events.js';

/** A webhook message: its event name, when the change happened, and the payload's `data`. */
export interface WebhookMessage {
  event: WebhookEventName;
  occurredAt: string;
  data: Record<string, unknown>;
}

/**
 * The webhook message a registry change announces, or undefined for changes that announce
 * nothing to webhooks (model created, gates updated). `data` is the registry presenter's JSON of
 * the domain result — the same object the HTTP response shows (registry/presenters.ts) — plus,
 * for a registration, `actor` and `at`, which every payload carries.
 */
export function webhookMessageOf(event: RegistryEvent): WebhookMessage | undefined {
  switch (event.type) {
    case 'version.registered': {
      const v = event.version;
      return { event: 'version.registered', occurredAt: v.createdAt, data: { ...presentVersion(v), actor: v.createdBy, at: v.createdAt } };
    }
    case 'version.transitioned':
      return { event: 'version.transitioned', occurredAt: event.transition.at, data: presentTransitionResult(event.transition) };
    case 'model.rolled_back':
      return { event: 'model.rolled_back', occurredAt: event.rollback.at, data: presentRollback(event.rollback) };
    default:
      return undefined;
  }
}
