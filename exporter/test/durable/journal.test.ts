import { afterEach, describe, expect, it } from 'vitest';
import { ApplyClock } from '../../src/durable/apply-clock.js';
import { Journal } from '../../src/durable/journal.js';
import { UnavailableError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase, type OpenedDatabase } from '../../src/store/database.js';
import { JournalStore } from '../../src/store/journal-store.js';

/** The journal against a real (in-memory) SQLite store: what is kept, voided, refused. */
describe('ingest journal', () => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
  });

  async function setup(maxBytes = 1 << 20, enabled = true) {
    opened = await openDatabase({ sqlitePath: ':memory:' });
    const store = new JournalStore(opened.db, 'test');
    let wall = 1_000_000;
    const clock = new ApplyClock(() => wall);
    const journal = new Journal({ store, clock, log: createLogger('silent'), enabled, maxBytes, retryAfterSeconds: 5 });
    return { store, clock, journal, tick: (ms: number) => (wall += ms) };
  }
  const body = (s: string) => Buffer.from(JSON.stringify({ model: 'm', s }));

  it('applies batches in seq order with the recorded time; a refused batch loses its row with the next commit', async () => {
    const { store, clock, journal } = await setup();
    const seen: number[] = [];
    const ok = journal.submit({ kind: 'kpis', model: 'm', body: body('a') }, () => seen.push(clock.now()));
    const refused = journal.submit({ kind: 'kpis', model: 'm', body: body('b') }, () => {
      throw new Error('refused by the check');
    });
    await expect(ok).resolves.toBe(1);
    await expect(refused).rejects.toThrow('refused by the check');
    expect(seen).toEqual([1_000_000]);
    expect((await store.read(0, 10)).map((r) => JSON.parse(Buffer.from(r.body).toString()).s)).toEqual(['a', 'b']);
    await journal.submit({ kind: 'kpis', model: 'm', body: body('c') }, () => undefined);
    const rows = await store.read(0, 10);
    expect(rows.map((r) => JSON.parse(Buffer.from(r.body).toString()).s)).toEqual(['a', 'c']);
    expect(journal.appliedSeq).toBe(rows[1].seq);
    await journal.truncate(rows[0].seq);
    expect((await store.read(0, 10)).map((r) => r.seq)).toEqual([rows[1].seq]);
  });

  it('full: answers 503 with Retry-After, applies nothing, and counts it; a checkpoint makes room again', async () => {
    const { store, journal } = await setup(100);
    await journal.submit({ kind: 'kpis', model: 'm', body: Buffer.alloc(60, 0x20) }, () => undefined);
    let applied = false;
    const err = await journal
      .submit({ kind: 'kpis', model: 'm', body: Buffer.alloc(60, 0x20) }, () => (applied = true))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as UnavailableError).code).toBe('MW_ERR_JOURNAL_FULL');
    expect((err as UnavailableError).retryAfterSeconds).toBe(5);
    expect(applied).toBe(false);
    expect((await store.read(0, 10)).length).toBe(1);
    await journal.truncate(journal.appliedSeq);
    await journal.submit({ kind: 'kpis', model: 'm', body: Buffer.alloc(60, 0x20) }, () => (applied = true));
    expect(applied).toBe(true);
  });

  it('a transacted batch commits alone, in seq order among the others, with its own writes; a failed commit undoes its apply', async () => {
    const { store, journal } = await setup();
    const db = opened!.db;
    const seen: string[] = [];
    const transact = (fail: boolean) => (inside: Parameters<Parameters<typeof journal.submitTransacted>[2]>[0]) =>
      db.transaction().execute(async (tx) => {
        await tx.insertInto('reference_profiles').values({ model: 'm', version: 'v', profile: '{}', updated_at: 'now' }).execute();
        await inside(tx);
        // As a commit refused after everything ran (a deferred constraint, a lost connection).
        if (fail) throw new Error('commit refused');
      });
    const a = journal.submit({ kind: 'kpis', model: 'm', body: body('a') }, () => seen.push('a'));
    const r = journal.submitTransacted(
      { kind: 'reference', model: 'm', body: body('r') },
      () => (seen.push('r'), () => seen.push('undo r')),
      transact(false),
    );
    const b = journal.submit({ kind: 'kpis', model: 'm', body: body('b') }, () => seen.push('b'));
    await Promise.all([a, r, b]);
    expect(seen).toEqual(['a', 'r', 'b']);
    const rows = await store.read(0, 10);
    expect(rows.map((x) => JSON.parse(Buffer.from(x.body).toString()).s)).toEqual(['a', 'r', 'b']);
    expect(journal.appliedSeq).toBe(rows[2].seq);

    await db.deleteFrom('reference_profiles').execute();
    const failed = await journal
      .submitTransacted(
        { kind: 'reference', model: 'm', body: body('f') },
        () => (seen.push('f'), () => seen.push('undo f')),
        transact(true),
      )
      .catch((e: unknown) => e);
    expect((failed as UnavailableError).code).toBe('MW_ERR_JOURNAL_UNAVAILABLE');
    expect(seen.slice(3)).toEqual(['f', 'undo f']);
    expect((await store.read(0, 10)).length).toBe(3);
    expect(await db.selectFrom('reference_profiles').selectAll().execute()).toEqual([]);
    expect(journal.appliedSeq).toBe(rows[2].seq);
  });

  it('while a transacted batch is between its apply and its commit, no checkpoint runs and (journal off too) no batch applies', async () => {
    for (const enabled of [true, false]) {
      const { journal } = await setup(1 << 20, enabled);
      const seen: string[] = [];
      let commit!: () => void;
      const committing = new Promise<void>((r) => (commit = r));
      const r = journal.submitTransacted(
        { kind: 'reference', model: 'm', body: body('r') },
        () => (seen.push('r applied'), () => undefined),
        (inside) =>
          opened!.db.transaction().execute(async (tx) => {
            await inside(tx);
            await committing;
            seen.push('r committed');
          }),
      );
      while (!seen.includes('r applied')) await new Promise((res) => setImmediate(res));
      const checkpoint = journal.quiesce(async () => void seen.push('checkpoint'));
      const after = journal.submit({ kind: 'kpis', model: 'm', body: body('b') }, () => seen.push('b'));
      for (let i = 0; i < 20; i++) await new Promise((res) => setImmediate(res));
      expect(seen).toEqual(['r applied']);
      commit();
      await Promise.all([r, checkpoint, after]);
      expect(seen.slice(0, 2)).toEqual(['r applied', 'r committed']);
      expect(seen.slice(2).sort()).toEqual(['b', 'checkpoint']);
      await opened!.close();
      opened = undefined;
    }
  });

  it('a store error answers 503 and applies nothing', async () => {
    const { journal } = await setup();
    await opened!.close();
    opened = undefined;
    let applied = false;
    const err = await journal.submit({ kind: 'kpis', model: 'm', body: body('x') }, () => (applied = true)).catch((e: unknown) => e);
    expect((err as UnavailableError).code).toBe('MW_ERR_JOURNAL_UNAVAILABLE');
    expect(applied).toBe(false);
  });
});
