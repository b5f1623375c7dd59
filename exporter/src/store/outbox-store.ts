import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, WebhookOutboxTable } from './schema.js';

export type OutboxRow = Selectable<WebhookOutboxTable>;

export interface NewDelivery {
  id: string;
  webhookId: string;
  event: string;
  body: string;
  createdAt: string;
}

/** One attempt's result; `status` of the row: pending (will retry), delivered or failed. */
export interface AttemptUpdate {
  attempts: number;
  status: 'pending' | 'delivered' | 'failed';
  lastStatus?: number;
  lastError?: string;
  nextAttemptMs: number;
  finishedAt?: string;
}

/**
 * The webhook outbox (migration 005): one row per delivery, inserted in the transaction of the
 * change that causes it, updated after every attempt. A row is claimed by moving its
 * next_attempt_ms forward with a compare-and-set, so two replicas never send one at once.
 */
export class OutboxStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(tx: Transaction<Database>, d: NewDelivery): Promise<void> {
    await tx
      .insertInto('webhook_outbox')
      .values({
        id: d.id,
        webhook_id: d.webhookId,
        event: d.event,
        body: d.body,
        status: 'pending',
        attempts: 0,
        last_status: null,
        last_error: null,
        created_at: d.createdAt,
        next_attempt_ms: 0,
        finished_at: null,
      })
      .execute();
  }

  /** The subscriptions (id and events) as the transaction sees them. */
  async subscriptions(tx: Transaction<Database>): Promise<Array<{ id: string; events: string[] }>> {
    const rows = await tx.selectFrom('webhooks').select(['id', 'events']).orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, events: JSON.parse(r.events) as string[] }));
  }

  /** Pending rows due at `nowMs`, oldest first. */
  due(nowMs: number, limit: number): Promise<OutboxRow[]> {
    return this.db
      .selectFrom('webhook_outbox')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_ms', '<=', nowMs)
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Takes a due row until `leaseUntilMs`; false when another process took it first. */
  async claim(row: OutboxRow, leaseUntilMs: number): Promise<boolean> {
    const r = await this.db
      .updateTable('webhook_outbox')
      .set({ next_attempt_ms: leaseUntilMs })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .where('next_attempt_ms', '=', row.next_attempt_ms)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async record(id: string, u: AttemptUpdate): Promise<void> {
    await this.db
      .updateTable('webhook_outbox')
      .set({
        attempts: u.attempts,
        status: u.status,
        last_status: u.lastStatus ?? null,
        last_error: u.lastError ?? null,
        next_attempt_ms: u.nextAttemptMs,
        finished_at: u.finishedAt ?? null,
      })
      .where('id', '=', id)
      .execute();
  }

  async pendingCount(): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A subscription's most recent deliveries, newest first. */
  recent(webhookId: string, limit: number): Promise<OutboxRow[]> {
    return this.db
      .selectFrom('webhook_outbox')
      .selectAll()
      .where('webhook_id', '=', webhookId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /** Deletes finished rows older than `beforeIso`, so the table does not grow with time. */
  async prune(beforeIso: string): Promise<number> {
    const r = await this.db
      .deleteFrom('webhook_outbox')
      .where('status', '!=', 'pending')
      .where('created_at', '<', beforeIso)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
