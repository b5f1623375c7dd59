import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { SteadyClock } from '../ingest/steady-clock.js';
import type { OutboxRow, OutboxStore } from '../store/outbox-store.js';
import type { InTransactionSubscriber } from '../store/registry-store.js';
import type { AttemptRecord, DeliveryOutcome, WebhookDispatcher, WebhookTarget } from './dispatcher.js';
import { subscribes } from './events.js';
import { webhookMessageOf } from './outbox-events.js';
import { ENV_WEBHOOK_ID } from './webhook-service.js';

/**
 * The registry store's in-transaction subscriber (app/root.ts passes it to KyselyRegistryStore):
 * each registry change that announces a webhook event writes one delivery row per subscribed
 * webhook in the change's own transaction, so a committed change always has its deliveries and
 * a rolled-back one never does. `envEvents`: the events the environment webhook subscribes to,
 * if there is one.
 */
export function deliveriesInTransaction(outbox: OutboxStore, envEvents: string[] | undefined): InTransactionSubscriber {
  return async (tx, event) => {
    const message = webhookMessageOf(event);
    if (!message) return;
    const targets = await outbox.subscriptions(tx);
    if (envEvents) targets.unshift({ id: ENV_WEBHOOK_ID, events: envEvents });
    for (const t of targets) {
      if (!subscribes(t.events, message.event)) continue;
      const id = randomUUID();
      const body = JSON.stringify({ id, event: message.event, occurred_at: message.occurredAt, data: message.data });
      await outbox.insert(tx, { id, webhookId: t.id, event: message.event, body, createdAt: message.occurredAt });
    }
  };
}

export interface OutboxRelayOptions {
  store: OutboxStore;
  /** Sends one attempt per call (maxAttempts 1): the relay keeps the retry schedule in the store. */
  dispatcher: WebhookDispatcher;
  /** Current targets by webhook id (the environment webhook as `env`). */
  targets: () => Promise<Map<string, WebhookTarget>>;
  log: Logger;
  nowMs?: () => number;
  /** Attempts per delivery, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a claimed row is this process's: one attempt's timeout and a margin. */
  leaseMs?: number;
  pollMs?: number;
  /** Finished rows are kept this long for GET …/deliveries, then deleted. */
  retentionMs?: number;
  onOutcome?: (o: DeliveryOutcome) => void;
}

/**
 * Delivers the outbox: polls for due rows (and is woken after each commit), claims each,
 * sends one attempt, and records it — status, attempts, last error, and for a retriable
 * failure the time of the next attempt (exponential backoff with jitter). A process that
 * dies mid-attempt leaves its claim to expire after `leaseMs`; the row is then sent again
 * with the same delivery id, so delivery is at least once and receivers deduplicate by id.
 */
export class OutboxRelay {
  private readonly o: Required<Omit<OutboxRelayOptions, 'onOutcome'>> & Pick<OutboxRelayOptions, 'onOutcome'>;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private readonly held = new Set<string>();
  private inFlight: Promise<void>[] = [];
  private pending = 0;
  private lastPrune = 0;

  constructor(options: OutboxRelayOptions) {
    this.o = {
      nowMs: Date.now,
      maxAttempts: 6,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      leaseMs: 15_000,
      pollMs: 1000,
      retentionMs: 7 * 24 * 3600 * 1000,
      ...options,
    };
    // Retry times and claims are this clock's: after a step back of the wall clock (NTP) a retry
    // scheduled before it would otherwise wait for the size of the step (hours) — a rollback
    // webhook held back that long. Time in the relay runs on from where it was instead
    // (steady-clock.ts). Rows are shared by replicas: another replica's clock is its own.
    this.o.nowMs = new SteadyClock(this.o.nowMs).now;
  }

  /** Deliveries waiting in the store (as of the last poll), in flight included. */
  get pendingCount(): number {
    return this.pending;
  }

  start(): void {
    const tick = () => {
      if (this.closed) return;
      this.timer = setTimeout(() => void this.poll().finally(tick), this.o.pollMs);
      this.timer.unref();
    };
    void this.poll().finally(tick);
  }

  /** Polls now (after a commit that may have written deliveries). */
  wake(): void {
    if (!this.closed) void this.poll();
  }

  /** Resolves when no delivery is pending in the store or in flight. */
  async idle(): Promise<void> {
    for (;;) {
      await this.poll();
      await Promise.allSettled(this.inFlight);
      if (this.inFlight.length === 0 && (await this.o.store.pendingCount()) === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops polling, lets attempts in flight finish, and hands unfinished claims back at once. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
    await Promise.allSettled(this.inFlight);
    await this.o.dispatcher.close();
  }

  private poll(): Promise<void> {
    if (this.polling) {
      this.again = true;
      return this.polling;
    }
    this.polling = (async () => {
      do {
        this.again = false;
        try {
          await this.pollOnce();
        } catch (err) {
          this.o.log.error({ err }, 'webhook outbox poll failed; retrying');
        }
      } while (this.again && !this.closed);
    })().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    if (this.closed) return;
    const now = this.o.nowMs();
    this.pending = await this.o.store.pendingCount();
    if (now - this.lastPrune > 3600_000) {
      this.lastPrune = now;
      await this.o.store.prune(new Date(now - this.o.retentionMs).toISOString());
    }
    const room = 100 - this.held.size;
    if (room <= 0) return;
    const rows = (await this.o.store.due(now, room)).filter((r) => !this.held.has(r.id));
    if (rows.length === 0) return;
    const targets = await this.o.targets();
    for (const row of rows) {
      if (this.closed) return;
      if (!(await this.o.store.claim(row, now + this.o.leaseMs))) continue;
      const target = targets.get(row.webhook_id);
      if (!target) {
        await this.o.store.record(row.id, {
          attempts: row.attempts,
          status: 'failed',
          lastError: 'webhook deleted before delivery',
          nextAttemptMs: now,
          finishedAt: new Date(now).toISOString(),
        });
        continue;
      }
      this.send(row, target);
    }
  }

  private send(row: OutboxRow, target: WebhookTarget): void {
    this.held.add(row.id);
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    this.inFlight.push(finished);
    const release = () => {
      this.held.delete(row.id);
      this.inFlight = this.inFlight.filter((p) => p !== finished);
      done();
    };
    const queued = this.o.dispatcher.deliver({
      id: row.id,
      target,
      event: row.event,
      body: row.body,
      onAttempt: (a) => void this.recordAttempt(row, row.attempts + 1, a).finally(release),
    });
    // A full or closed dispatcher: the claim runs out and the row is picked up again.
    if (!queued) release();
  }

  private async recordAttempt(row: OutboxRow, attempts: number, a: AttemptRecord): Promise<void> {
    const now = this.o.nowMs();
    const retry = !a.delivered && a.retriable && attempts < this.o.maxAttempts && !this.closed;
    const delay = this.closed ? 0 : this.backoff(attempts);
    const status = a.delivered ? 'delivered' : retry || (this.closed && a.retriable) ? 'pending' : 'failed';
    try {
      await this.o.store.record(row.id, {
        attempts,
        status,
        lastStatus: a.status,
        lastError: a.error ?? (a.delivered ? undefined : `HTTP ${a.status}`),
        nextAttemptMs: status === 'pending' ? now + delay : now,
        finishedAt: status === 'pending' ? undefined : new Date(now).toISOString(),
      });
    } catch (err) {
      // The claim runs out and the row is sent again (same id): at least once.
      this.o.log.error({ err, delivery: row.id }, 'could not record a webhook attempt');
      return;
    }
    if (status === 'pending') {
      if (!this.closed) setTimeout(() => this.wake(), delay + 10).unref();
      return;
    }
    if (!a.delivered)
      this.o.log.warn({ webhook: row.webhook_id, delivery: row.id, attempts, status: a.status, error: a.error }, 'webhook delivery failed');
    this.o.onOutcome?.({
      deliveryId: row.id,
      targetId: row.webhook_id,
      event: row.event,
      attempts,
      delivered: a.delivered,
      status: a.status,
      error: a.error,
    });
  }

  /** Full jitter over an exponentially growing window, so a recovering receiver is not stampeded. */
  private backoff(attempt: number): number {
    const window = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(window / 2 + (Math.random() * window) / 2);
  }
}
