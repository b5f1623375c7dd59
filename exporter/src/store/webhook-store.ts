import type { Kysely, Selectable } from 'kysely';
import type { StoredWebhook, WebhookStore } from '../webhooks/ports.js';
import type { Database, WebhooksTable } from './schema.js';

/** SQL for webhook subscriptions (migration 003), shared by every replica through the database. */
export class KyselyWebhookStore implements WebhookStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(w: StoredWebhook): Promise<void> {
    await this.db
      .insertInto('webhooks')
      .values({ id: w.id, url: w.url, events: JSON.stringify(w.events), secret: w.secret, description: w.description, created_at: w.createdAt, created_by: w.createdBy })
      .execute();
  }

  async list(): Promise<StoredWebhook[]> {
    const rows = await this.db.selectFrom('webhooks').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(toWebhook);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('webhooks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async delete(id: string): Promise<boolean> {
    const res = await this.db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}

function toWebhook(r: Selectable<WebhooksTable>): StoredWebhook {
  return {
    id: r.id,
    url: r.url,
    events: JSON.parse(r.events) as string[],
    secret: r.secret,
    description: r.description,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}
