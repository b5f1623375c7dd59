import type { Kysely, Selectable } from 'kysely';
import type { StoredWebhook, WebhookStore, WebhookWriteTx } from './webhook-ports.js';
import type { AuditKeyRing } from '../registry/audit-chain.js';
import { auditedWrite, type AppendAudit } from './audited-write.js';
import { SecretBox } from './secret-box.js';
import type { Database, WebhooksTable } from './schema.js';

type Executor = Kysely<Database>;

/** Reads shared by the store and its write transactions. */
class Reads {
  constructor(
    protected readonly ex: Executor,
    protected readonly box: SecretBox,
  ) {}

  async list(): Promise<StoredWebhook[]> {
    const rows = await this.ex.selectFrom('webhooks').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => this.toWebhook(r));
  }

  protected toWebhook(r: Selectable<WebhooksTable>): StoredWebhook {
    return {
      id: r.id,
      url: r.url,
      events: JSON.parse(r.events) as string[],
      secret: this.box.open(r.secret),
      description: r.description,
      createdAt: r.created_at,
      createdBy: r.created_by,
    };
  }
}

class WriteTx extends Reads implements WebhookWriteTx {
  constructor(
    ex: Executor,
    box: SecretBox,
    readonly appendAudit: AppendAudit,
  ) {
    super(ex, box);
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
    return row ? this.toWebhook(row) : undefined;
  }

  async insert(w: StoredWebhook): Promise<void> {
    await this.ex
      .insertInto('webhooks')
      .values({
        id: w.id,
        url: w.url,
        events: JSON.stringify(w.events),
        secret: this.box.seal(w.secret),
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

/**
 * SQL for webhook subscriptions (migration 003), shared by every replica through the database.
 * Signing secrets are sealed with AES-256-GCM under a key derived from the audit keys
 * (secret-box.ts): written sealed, read back in the clear only for signing deliveries.
 */
export class KyselyWebhookStore extends Reads implements WebhookStore {
  constructor(
    private readonly db: Executor,
    private readonly keys: AuditKeyRing,
  ) {
    super(db, new SecretBox(keys));
  }

  write<T>(fn: (tx: WebhookWriteTx) => Promise<T>): Promise<T> {
    return auditedWrite(this.db, this.keys, (tx, appendAudit) => fn(new WriteTx(tx, this.box, appendAudit)));
  }

  /**
   * Seals every secret stored in plaintext (rows from before migration 008) or under a retired
   * audit key, under the current key; run once at start. Each row is updated only if it still
   * holds the value read, so two replicas starting together do not undo each other. Returns how
   * many rows it sealed.
   */
  async sealPlaintextSecrets(): Promise<number> {
    let sealed = 0;
    for (const row of await this.db.selectFrom('webhooks').select(['id', 'secret']).execute()) {
      if (this.box.isCurrent(row.secret)) continue;
      const r = await this.db
        .updateTable('webhooks')
        .set({ secret: this.box.seal(this.box.open(row.secret)) })
        .where('id', '=', row.id)
        .where('secret', '=', row.secret)
        .executeTakeFirst();
      sealed += Number(r.numUpdatedRows);
    }
    return sealed;
  }
}
