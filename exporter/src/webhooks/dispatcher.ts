import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { AddressPolicy } from './address-policy.js';
import { postJson, type PostResult } from './http-post.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from './signature.js';

export interface WebhookTarget {
  id: string;
  url: string;
  secret: string;
}

export interface WebhookMessage {
  event: string;
  occurredAt: string;
  data: unknown;
}

export interface DeliveryOutcome {
  deliveryId: string;
  targetId: string;
  event: string;
  attempts: number;
  delivered: boolean;
  /** Never attempted: the queue was full. */
  dropped?: boolean;
  status?: number;
  error?: string;
}

export interface DispatcherOptions {
  policy: AddressPolicy;
  log: Logger;
  /** Attempts per delivery, the first included. */
  maxAttempts?: number;
  /** Delay before the first retry; doubles each time, with jitter, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Deliveries waiting, in flight or backing off; beyond it new ones are dropped (and logged). */
  maxPending?: number;
  concurrency?: number;
  timeoutMs?: number;
  nowSeconds?: () => number;
  onOutcome?: (outcome: DeliveryOutcome) => void;
}

/** What one attempt of a delivery came to; `final` when no retry follows. */
export interface AttemptRecord {
  attempts: number;
  delivered: boolean;
  final: boolean;
  /** Whether a later attempt may succeed (network trouble, 5xx, 408, 429). */
  retriable: boolean;
  status?: number;
  error?: string;
}

/** A delivery with its id and body fixed by the caller (the outbox), attempt by attempt reported. */
export interface PreparedDelivery {
  id: string;
  target: WebhookTarget;
  event: string;
  body: string;
  /** Attempts already made (by an earlier process), counted towards maxAttempts. */
  attempts?: number;
  onAttempt?: (a: AttemptRecord) => void;
}

interface Delivery {
  id: string;
  target: WebhookTarget;
  event: string;
  body: string;
  attempts: number;
  onAttempt?: (a: AttemptRecord) => void;
}

/**
 * Delivers webhook messages off the request path: a registry call never waits for (or fails
 * because of) a slow CI server. Each delivery keeps one id across retries, so receivers can
 * deduplicate; each attempt is signed afresh with the current timestamp. Memory is bounded by
 * maxPending; what does not fit is dropped and logged rather than growing without limit.
 */
export class WebhookDispatcher {
  private readonly queue: Delivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private pending = 0;
  private active = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly o: Required<Omit<DispatcherOptions, 'onOutcome'>> & Pick<DispatcherOptions, 'onOutcome'>;

  constructor(options: DispatcherOptions) {
    this.o = {
      maxAttempts: 6,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      maxPending: 1000,
      concurrency: 4,
      timeoutMs: 10_000,
      nowSeconds: () => Math.floor(Date.now() / 1000),
      ...options,
    };
  }

  /** Queues a message for a target; false when the queue is full or the dispatcher closed. */
  enqueue(target: WebhookTarget, message: WebhookMessage): boolean {
    if (this.closed) return false;
    if (this.pending >= this.o.maxPending) {
      this.o.log.warn({ webhook: target.id, event: message.event, pending: this.pending }, 'webhook queue full; delivery dropped');
      this.o.onOutcome?.({
        deliveryId: '',
        targetId: target.id,
        event: message.event,
        attempts: 0,
        delivered: false,
        dropped: true,
        error: 'queue full',
      });
      return false;
    }
    const id = randomUUID();
    const body = JSON.stringify({ id, event: message.event, occurred_at: message.occurredAt, data: message.data });
    return this.deliver({ id, target, event: message.event, body });
  }

  /** Queues a prepared delivery (same bounds as enqueue); false when full or closed. */
  deliver(d: PreparedDelivery): boolean {
    if (this.closed || this.pending >= this.o.maxPending) return false;
    this.pending += 1;
    this.queue.push({ ...d, attempts: d.attempts ?? 0 });
    this.pump();
    return true;
  }

  get pendingCount(): number {
    return this.pending;
  }

  /** Resolves when nothing is queued, in flight or waiting to retry. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops retries and drops what is still queued; in-flight attempts finish on their own. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const dropped = this.pending - this.active;
    this.queue.length = 0;
    if (dropped) this.o.log.warn({ dropped }, 'webhook deliveries dropped at shutdown');
    this.pending = this.active;
    if (this.pending === 0) this.wakeIdle();
  }

  private pump(): void {
    while (!this.closed && this.active < this.o.concurrency && this.queue.length) {
      const d = this.queue.shift()!;
      this.active += 1;
      void this.attempt(d).finally(() => {
        this.active -= 1;
        this.pump();
      });
    }
  }

  private async attempt(d: Delivery): Promise<void> {
    d.attempts += 1;
    const ts = this.o.nowSeconds();
    const result = await postJson(
      d.target.url,
      d.body,
      {
        [SIGNATURE_HEADER]: sign(d.target.secret, ts, d.body),
        [TIMESTAMP_HEADER]: String(ts),
        [EVENT_HEADER]: d.event,
        [DELIVERY_HEADER]: d.id,
      },
      this.o.policy,
      this.o.timeoutMs,
    );
    const delivered = result.status !== undefined && result.status >= 200 && result.status < 300;
    const retry = !delivered && retriable(result) && d.attempts < this.o.maxAttempts && !this.closed;
    d.onAttempt?.({
      attempts: d.attempts,
      delivered,
      final: !retry,
      retriable: !delivered && retriable(result),
      status: result.status,
      error: result.error,
    });
    if (retry) {
      const delay = this.backoff(d.attempts);
      this.o.log.debug(
        { webhook: d.target.id, delivery: d.id, attempt: d.attempts, status: result.status, error: result.error, delay },
        'webhook delivery failed; retrying',
      );
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.queue.push(d);
        this.pump();
      }, delay);
      this.timers.add(timer);
      return;
    }
    const outcome: DeliveryOutcome = {
      deliveryId: d.id,
      targetId: d.target.id,
      event: d.event,
      attempts: d.attempts,
      delivered,
      status: result.status,
      error: result.error,
    };
    if (!delivered)
      this.o.log.warn(
        { webhook: d.target.id, delivery: d.id, attempts: d.attempts, status: result.status, error: result.error },
        'webhook delivery failed',
      );
    this.o.onOutcome?.(outcome);
    this.settle();
  }

  /** Full jitter over an exponentially growing window, so a recovering receiver is not stampeded. */
  private backoff(attempt: number): number {
    const window = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(window / 2 + (Math.random() * window) / 2);
  }

  private settle(): void {
    this.pending -= 1;
    if (this.pending === 0) this.wakeIdle();
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

/** Network trouble, 5xx, 408 and 429 may pass; a refused address or another 4xx will not. */
function retriable(r: PostResult): boolean {
  if (r.forbidden) return false;
  if (r.status === undefined) return true;
  return r.status >= 500 || r.status === 408 || r.status === 429;
}
