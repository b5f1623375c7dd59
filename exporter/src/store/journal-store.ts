import { PostgresAdapter, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export type JournalKind = 'predictions' | 'feedback' | 'kpis' | 'reference';

/** One ingest batch as the journal keeps it (see src/durable/journal.ts). */
export interface JournalRecord {
  kind: JournalKind;
  model: string;
  /** The clock, in ms, the batch is applied with (live and at replay). */
  nowMs: number;
  /** Predictions: the registry's positive class the apply consulted. */
  positiveClass?: string;
  /** The request body as received, UTF-8 JSON (reference: the stored profile and version). */
  body: Uint8Array;
}

export interface StoredJournalRecord extends JournalRecord {
  seq: number;
}

/**
 * The ingest journal table (migration 009) of one exporter instance. Every method touches only
 * the rows of `instance`.
 */
export class JournalStore {
  /**
   * SQLite gives an insert's seq as its rowid: with `RETURNING`, it ran every append through a
   * temporary file it created, wrote about as many pages to as the body fills and unlinked
   * (strace: 10 more writes and an open/unlink per 400 KiB batch), a fifth of the append's CPU.
   */
  private readonly returning: boolean;

  constructor(
    private readonly db: Kysely<Database>,
    readonly instance: string,
    /**
     * Throws unless this process may write the instance's rows now (PostgreSQL: it holds the
     * instance lock, instance-lock.ts); every write checks it first, so a lost lock refuses them.
     */
    private readonly fence: () => void = () => undefined,
  ) {
    this.returning = db.getExecutor().adapter instanceof PostgresAdapter;
  }

  /**
   * Appends `records` in one transaction, in order, and deletes the `voided` seqs (batches
   * whose apply was refused) in the same one. Returns the records' seqs, increasing: the
   * database assigns them one insert after the other, so their order is the order given.
   */
  async append(records: readonly JournalRecord[], voided: readonly number[] = []): Promise<number[]> {
    this.fence();
    return this.db.transaction().execute(async (tx) => {
      const seqs: number[] = [];
      for (const r of records) seqs.push(await this.appendIn(tx, r));
      if (voided.length > 0)
        await tx
          .deleteFrom('ingest_journal')
          .where('instance', '=', this.instance)
          .where('seq', 'in', [...voided])
          .execute();
      return seqs;
    });
  }

  /**
   * Appends one record inside the caller's transaction (a batch whose other store writes must
   * commit with its row: a reference upload's profile and audit entry). Returns its seq.
   */
  async appendIn(tx: Transaction<Database>, r: JournalRecord): Promise<number> {
    this.fence();
    const insert = tx.insertInto('ingest_journal').values({
      instance: this.instance,
      kind: r.kind,
      model: r.model,
      now_ms: r.nowMs,
      positive_class: r.positiveClass ?? null,
      body: r.body,
    });
    if (this.returning) return Number((await insert.returning('seq').executeTakeFirstOrThrow()).seq);
    const { insertId } = await insert.executeTakeFirstOrThrow();
    if (insertId === undefined) throw new Error('the store gave no seq for an ingest journal row');
    return Number(insertId);
  }

  /** Up to `limit` of this instance's rows after `afterSeq`, in seq order (replay pages through them). */
  async read(afterSeq: number, limit: number): Promise<StoredJournalRecord[]> {
    const rows = await this.db
      .selectFrom('ingest_journal')
      .selectAll()
      .where('instance', '=', this.instance)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      kind: r.kind as JournalKind,
      model: r.model,
      nowMs: Number(r.now_ms),
      ...(r.positive_class !== null ? { positiveClass: r.positive_class } : {}),
      body: r.body,
    }));
  }

  /** Deletes this instance's rows up to and including `seq` (a checkpoint covers them). Returns how many. */
  async truncate(seq: number): Promise<number> {
    this.fence();
    const r = await this.db.deleteFrom('ingest_journal').where('instance', '=', this.instance).where('seq', '<=', seq).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /**
   * Makes every row of the table this instance's (SQLite only: its file belongs to one exporter,
   * so rows under another name were written by this same deployment under an earlier name — a
   * recreated container's new host name). Returns how many rows changed hands.
   */
  async adoptAll(): Promise<number> {
    const r = await this.db
      .updateTable('ingest_journal')
      .set({ instance: this.instance })
      .where('instance', '<>', this.instance)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}
