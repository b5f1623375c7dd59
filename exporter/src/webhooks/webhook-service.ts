import { randomBytes } from 'node:crypto';
import { InvalidInputError, NotFoundError, UnprocessableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { auditDraft } from '../registry/audit-draft.js';
import type { AddressPolicy } from './address-policy.js';
import type { RegistryEvent } from '../registry/events.js';
import { webhookUrlProblem, type Resolver } from './url-policy.js';
import type { StoredWebhook, WebhookStore } from '../store/webhook-ports.js';

export interface WebhookSpec {
  url: string;
  events: string[];
  secret: string;
  description?: string;
}

/** What the API shows of a webhook: never the secret. */
export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  description: string;
  source: 'api' | 'env';
  created_at: string | null;
  created_by: string | null;
}

export const ENV_WEBHOOK_ID = 'env';

/** What GET /webhooks/{id}/deliveries shows of one delivery. */
export interface DeliveryView {
  id: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface WebhookServiceOptions {
  store: WebhookStore;
  /** Wakes the outbox relay: deliveries were written with the change, in its transaction. */
  wake: () => void;
  /** A subscription's recent deliveries, newest first. */
  recentDeliveries: (webhookId: string, limit: number) => Promise<DeliveryView[]>;
  policy: AddressPolicy;
  log: Logger;
  now: () => number;
  /** The webhook from MODELWATCH_WEBHOOK_URL, already validated. */
  envWebhook?: { url: string; secret: string; events: string[] };
  /** Subscriptions are few by nature; the cap keeps one event from fanning out unbounded. */
  maxWebhooks?: number;
  resolve?: Resolver;
}

/** Webhook subscriptions (API and environment) and the fan-out of registry events to them. */
export class WebhookService {
  private readonly maxWebhooks: number;

  constructor(private readonly o: WebhookServiceOptions) {
    this.maxWebhooks = o.maxWebhooks ?? 50;
  }

  async create(spec: WebhookSpec, actor: string): Promise<WebhookView> {
    const problem = await webhookUrlProblem(spec.url, this.o.policy, this.o.resolve);
    if (problem) throw new InvalidInputError(`url: ${problem}`, [{ path: 'url', message: problem }]);
    const hook: StoredWebhook = {
      id: `wh_${randomBytes(9).toString('base64url')}`,
      url: spec.url,
      events: [...new Set(spec.events)],
      secret: spec.secret,
      description: spec.description ?? '',
      createdAt: new Date(this.o.now()).toISOString(),
      createdBy: actor,
    };
    // The URL was checked above, outside the transaction: its DNS lookup must not hold the
    // audit lock. The cap is checked inside, so concurrent creations cannot pass it together.
    await this.o.store.write(async (tx) => {
      if ((await tx.count()) >= this.maxWebhooks) throw new UnprocessableError(`at most ${this.maxWebhooks} webhooks; delete one first`);
      await tx.insert(hook);
      await tx.appendAudit(auditDraft(hook.createdAt, actor, 'webhook.create', { after: audited(hook) }));
    });
    return view(hook, 'api');
  }

  async list(): Promise<WebhookView[]> {
    const stored = (await this.o.store.list()).map((h) => view(h, 'api'));
    const env = this.o.envWebhook;
    return env
      ? [
          {
            id: ENV_WEBHOOK_ID,
            url: env.url,
            events: env.events,
            description: 'MODELWATCH_WEBHOOK_URL',
            source: 'env',
            created_at: null,
            created_by: null,
          },
          ...stored,
        ]
      : stored;
  }

  async remove(id: string, actor: string): Promise<void> {
    if (id === ENV_WEBHOOK_ID && this.o.envWebhook)
      throw new UnprocessableError('the environment webhook is removed by unsetting MODELWATCH_WEBHOOK_URL');
    const at = new Date(this.o.now()).toISOString();
    await this.o.store.write(async (tx) => {
      const hook = await tx.get(id);
      if (!hook || !(await tx.delete(id))) throw new NotFoundError(`webhook ${id} not found`);
      await tx.appendAudit(auditDraft(at, actor, 'webhook.delete', { before: audited(hook) }));
    });
  }

  /**
   * The registry's post-commit listener (subscribed in app/root.ts). The change's deliveries were
   * written in its own transaction (webhooks/outbox.ts), so all that is left is to wake the
   * relay; never throws.
   */
  committed(_event: RegistryEvent): void {
    this.o.wake();
  }

  /** Recent deliveries of a subscription (404 when it does not exist). */
  async deliveries(id: string, limit: number): Promise<DeliveryView[]> {
    if (!(id === ENV_WEBHOOK_ID && this.o.envWebhook) && !(await this.o.store.list()).some((h) => h.id === id))
      throw new NotFoundError(`webhook ${id} not found`);
    return this.o.recentDeliveries(id, limit);
  }
}

/**
 * What the audit log (readable by viewers) records of a subscription: never the secret, and of
 * the URL only its origin, since chat-tool webhook URLs carry their credential in the path.
 */
function audited(h: StoredWebhook): Record<string, unknown> {
  return { id: h.id, url_origin: new URL(h.url).origin, events: h.events, description: h.description };
}

function view(h: StoredWebhook, source: 'api' | 'env'): WebhookView {
  return { id: h.id, url: h.url, events: h.events, description: h.description, source, created_at: h.createdAt, created_by: h.createdBy };
}
