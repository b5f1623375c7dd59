import type { Kysely, Selectable } from 'kysely';
import type { StoredWebhook, WebhookStore, WebhookWriteTx } from './webhook-ports.js';
import type { AuditKeyRing } from '../registry/audit-chain.js';
import { auditedWrite, type AppendAudit } from './audited-write.js';
import type { Database, WebhooksTable } from './schema.js';

type Executor = Kysely<Database>;

/** Reads shared by the store and its write transactions. */
class Reads {
  constructor(protected readonly ex: Executor) {}

  async list(): Promise<StoredWebhook[]> {
    const rows = await this.ex.selectFrom('webhooks').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(toWebhook);
  }
}

class WriteTx extends Reads implements WebhookWriteTx {
  constructor(
    ex: Executor,
    readonly appendAudit: AppendAudit,
  ) {
    super(ex);
  }

  async count(): Promise<number> {
    const row = await this.ex
      .selectFrom('webhooks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async get(id: string): Promise<StoredWebhook | undefined> {
    const row = await this.ex.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toWebhook(row) : undefined;
  }

  async insert(w: StoredWebhook): Promise<void> {
    await this.ex
      .insertInto('webhooks')
      .values({
        id: w.id,
        url: w.url,
        events: JSON.stringify(w.events),
        secret: w.secret,
        description: w.description,
        created_at: w.createdAt,
        created_by: w.createdBy,
      })
      .execute();
  }

  async delete(id: string): Promise<boolean> {
    const res = await this.ex.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}

/** SQL for webhook subscriptions (migration 003), shared by every replica through the database. */
export class KyselyWebhookStore extends Reads implements WebhookStore {
  constructor(
    private readonly db: Executor,
    private readonly keys: AuditKeyRing,
  ) {
    super(db);
  }

  write<T>(fn: (tx: WebhookWriteTx) => Promise<T>): Promise<T> {
    return auditedWrite(this.db, this.keys, (tx, appendAudit) => fn(new WriteTx(tx, appendAudit)));
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
