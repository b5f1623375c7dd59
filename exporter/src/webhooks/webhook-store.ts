import type { Kysely } from 'kysely';

interface WebhooksTable {
  id: string;
  url: string;
  /** JSON array of event names. */
  events: string;
  secret: string;
  description: string;
  created_at: string;
  created_by: string;
}

export interface StoredWebhook {
  id: string;
  url: string;
  events: string[];
  secret: string;
  description: string;
  createdAt: string;
  createdBy: string;
}

/** SQL for webhook subscriptions (migration 003), shared by every replica through the database. */
export class WebhookStore {
  private readonly db: Kysely<{ webhooks: WebhooksTable }>;

  constructor(db: Kysely<any>) {
    this.db = db as Kysely<{ webhooks: WebhooksTable }>;
  }

  async insert(w: StoredWebhook): Promise<void> {
    await this.db
      .insertInto('webhooks')
      .values({ id: w.id, url: w.url, events: JSON.stringify(w.events), secret: w.secret, description: w.description, created_at: w.createdAt, created_by: w.createdBy })
      .execute();
  }

  async list(): Promise<StoredWebhook[]> {
    const rows = await this.db.selectFrom('webhooks').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      url: r.url,
      events: JSON.parse(r.events) as string[],
      secret: r.secret,
      description: r.description,
      createdAt: r.created_at,
      createdBy: r.created_by,
    }));
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('webhooks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** False when there was no such webhook. */
  async delete(id: string): Promise<boolean> {
    const res = await this.db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}
