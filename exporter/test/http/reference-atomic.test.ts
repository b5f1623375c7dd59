import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { VersionState } from '../../src/ingest/version-state.js';
import { shouldSkipPostgres, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startTestServer, type TestServer } from '../helpers/start.js';

/*
 * Issue 11 "Left 2": a reference upload the client is told was not applied (500
 * MW_ERR_BATCH_NOT_APPLIED, 503 MW_ERR_JOURNAL_*) leaves the stored profile, the audit chain, the
 * ingest journal, memory and /metrics exactly as before — whether the in-memory apply throws, the
 * store refuses a write, the commit itself fails after the apply, or the journal is full — and a
 * retry then equals a run that never failed, also after a replay of the journal.
 */

const T0 = Date.parse('2026-03-02T10:00:00Z');
const sample = (shift: number) => ({
  features: {
    amount: Array.from({ length: 60 }, (_, i) => 10 + ((i * 7) % 23) + shift),
    channel: Array.from({ length: 60 }, (_, i) => ['web', 'app', 'pos'][(i + shift) % 3]),
  },
  predictions: Array.from({ length: 60 }, (_, i) => (i % 3 ? 'ok' : 'fraud')),
});
const events = (from: number, n: number) => ({
  model: 'fraud',
  version: 'v1',
  events: Array.from({ length: n }, (_, i) => ({
    id: `e${from + i}`,
    features: { amount: 12 + ((from + i) % 9), channel: (from + i) % 2 ? 'web' : 'app' },
    prediction: (from + i) % 4 ? 'ok' : 'fraud',
  })),
});

/** Series a refused upload may move: the failure and rejection counters (and the process's own). */
const MOVES_ON_REFUSAL = /^modelwatch_(ingest_failures_total|journal_rejected_total)\b/;

interface Store {
  env: Record<string, string>;
  /** Statements that make the next audit entry's insert fail at once, and the commit fail after it. */
  failInsert: string[];
  failCommit: string[];
  clear: string[];
}

type Setup = (name: string) => Promise<Store>;

const SQLITE: Setup = async () => ({
  env: {},
  failInsert: [`CREATE TRIGGER mw_test_fail BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'injected store failure'); END`],
  // A deferred foreign key is checked at COMMIT, after everything in the transaction ran.
  failCommit: [
    `CREATE TABLE mw_test_parent (id INTEGER PRIMARY KEY)`,
    `CREATE TABLE mw_test_child (p INTEGER REFERENCES mw_test_parent(id) DEFERRABLE INITIALLY DEFERRED)`,
    `CREATE TRIGGER mw_test_commit AFTER INSERT ON audit_log BEGIN INSERT INTO mw_test_child VALUES (1); END`,
  ],
  clear: [
    `DROP TRIGGER IF EXISTS mw_test_fail`,
    `DROP TRIGGER IF EXISTS mw_test_commit`,
    `DROP TABLE IF EXISTS mw_test_child`,
    `DROP TABLE IF EXISTS mw_test_parent`,
  ],
});

let pgServer: TestPostgres | undefined;
const POSTGRES: Setup = async (name) => {
  pgServer ??= await startPostgres();
  const fail = `CREATE OR REPLACE FUNCTION mw_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected store failure'; END $$`;
  return {
    env: { MODELWATCH_DATABASE_URL: await pgServer.createDatabase(name) },
    failInsert: [fail, `CREATE TRIGGER mw_test_fail BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION mw_test_fail()`],
    // A deferred constraint trigger runs at COMMIT, after everything in the transaction ran.
    failCommit: [
      fail,
      `CREATE CONSTRAINT TRIGGER mw_test_commit AFTER INSERT ON audit_log DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION mw_test_fail()`,
    ],
    clear: [`DROP TRIGGER IF EXISTS mw_test_fail ON audit_log`, `DROP TRIGGER IF EXISTS mw_test_commit ON audit_log`],
  };
};

async function start(store: Store, env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer({ ...store.env, MODELWATCH_CHECKPOINT_SECONDS: '3600', ...env }, { now: () => T0 });
}

const run = (s: TestServer, statements: string[]) =>
  statements.reduce(
    (p, q) =>
      p.then(() =>
        sql
          .raw(q)
          .execute(s.parts.database.db)
          .then(() => undefined),
      ),
    Promise.resolve(),
  );
const put = (s: TestServer, version: string, json: unknown) =>
  s.api(`/api/v1/models/fraud/versions/${version}/reference`, { method: 'PUT', json });
const ok = async (r: Promise<Response>) => {
  const res = await r;
  expect(res.status, await res.clone().text()).toBe(200);
  return res;
};

/** Everything a refused upload must leave as it was, read back from the store and the API. */
async function observe(s: TestServer) {
  const metrics = (await (await s.api('/metrics')).text())
    .split('\n')
    .filter((l) => l.startsWith('modelwatch_') && !MOVES_ON_REFUSAL.test(l));
  const audit = (await (await s.api('/api/v1/audit?limit=1000')).json()) as { entries: Array<Record<string, unknown>> };
  return {
    stored: await s.parts.references.list(),
    audit: audit.entries,
    journal: await s.parts.database.db.selectFrom('ingest_journal').select(['kind', 'model', 'body']).orderBy('seq').execute(),
    status: await (await s.api('/api/v1/models/fraud/status')).json(),
    metrics,
  };
}

/** The same for two different deployments: audit entries without ids and hashes (their keys differ). */
async function comparable(s: TestServer) {
  const o = await observe(s);
  return {
    ...o,
    audit: o.audit.map(({ action, actor, model, version, before, after, at }) => ({ action, actor, model, version, before, after, at })),
    metrics: o.metrics.filter((l) => !/^modelwatch_(audit_|last_checkpoint|checkpoint)/.test(l)),
  };
}

async function verified(s: TestServer): Promise<boolean> {
  return ((await (await s.api('/api/v1/audit/verify')).json()) as { ok: boolean }).ok;
}

function describeAtomicReference(db: string, setup: Setup, journal: boolean) {
  const tag = `${db.toLowerCase()}_${journal ? 'j' : 'nj'}`;
  const env: Record<string, string> = journal ? {} : { MODELWATCH_JOURNAL: 'false' };
  describe(`a refused reference upload changes nothing (${db}, journal ${journal ? 'on' : 'off'})`, () => {
    let store: Store;
    let s: TestServer;
    const servers: TestServer[] = [];
    beforeAll(async () => {
      store = await setup(`refatomic_${tag}_a`);
      s = await start(store, env);
      servers.push(s);
    }, 120_000);
    afterAll(async () => {
      for (const x of servers.reverse()) await x.close().catch(() => undefined);
    });
    afterEach(async () => {
      vi.restoreAllMocks();
      await run(s, store.clear);
    });

    it('apply fault, store fault, commit fault: 500/503, nothing changed; the retries equal a never-failed run, also after a replay', async () => {
      await ok(put(s, 'v1', sample(0)));
      await ok(s.api('/api/v1/predictions', { method: 'POST', json: events(0, 20) }));
      const before = await observe(s);

      // The in-memory apply throws: 500, the store's transaction rolled back with it.
      vi.spyOn(VersionState.prototype, 'setReference').mockImplementation(() => {
        throw new Error('injected apply fault');
      });
      const faulted = await put(s, 'v1', sample(5));
      expect(faulted.status).toBe(500);
      expect(await faulted.json()).toMatchObject({ code: 'MW_ERR_BATCH_NOT_APPLIED' });
      vi.restoreAllMocks();
      expect(await observe(s)).toEqual(before);
      expect(await verified(s)).toBe(true);

      // The store refuses the audit entry, after the profile was written in the transaction.
      await run(s, store.failInsert);
      for (const version of ['v1', 'v2']) {
        const refused = await put(s, version, sample(5));
        expect(refused.status).toBe(503);
        expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(await refused.json()).toMatchObject({ code: 'MW_ERR_JOURNAL_UNAVAILABLE' });
      }
      await run(s, store.clear);
      expect(await observe(s)).toEqual(before);

      // The commit fails after the in-memory apply succeeded: the apply is written back.
      await run(s, store.failCommit);
      for (const version of ['v1', 'v2']) {
        const refused = await put(s, version, sample(5));
        expect(refused.status).toBe(503);
        expect(await refused.json()).toMatchObject({ code: 'MW_ERR_JOURNAL_UNAVAILABLE' });
      }
      await run(s, store.clear);
      expect(await observe(s)).toEqual(before);
      expect(await verified(s)).toBe(true);
      const metrics = await (await s.api('/metrics')).text();
      expect(metrics).toContain('modelwatch_ingest_failures_total{endpoint="reference"} 1');
      // Only a journal rejects: with it off no row was refused, and the 503s are not counted there.
      expect(metrics).toContain(`modelwatch_journal_rejected_total{reason="store_error"} ${journal ? 4 : 0}`);

      // The retries, then more traffic: as if nothing had failed.
      await ok(put(s, 'v1', sample(5)));
      await ok(put(s, 'v2', sample(5)));
      await ok(s.api('/api/v1/predictions', { method: 'POST', json: events(20, 10) }));
      expect(await verified(s)).toBe(true);

      const control = await start(await setup(`refatomic_${tag}_b`), env);
      servers.push(control);
      await ok(put(control, 'v1', sample(0)));
      await ok(control.api('/api/v1/predictions', { method: 'POST', json: events(0, 20) }));
      await ok(put(control, 'v1', sample(5)));
      await ok(put(control, 'v2', sample(5)));
      await ok(control.api('/api/v1/predictions', { method: 'POST', json: events(20, 10) }));
      expect(await comparable(s)).toEqual(await comparable(control));

      // A replica on the same store and journal (no checkpoint was written: it replays every row).
      // It gets a data directory of its own, since one exporter holds a directory at a time
      // (store/data-dir-lock.ts): the same journal instance and audit key, and on SQLite a copy
      // of the live file.
      if (!journal) return;
      const replicaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-refatomic-replica-'));
      if (!store.env.MODELWATCH_DATABASE_URL) {
        const live = new Database(path.join(s.dataDir, 'modelwatch.sqlite'), { readonly: true });
        live.exec(`VACUUM INTO '${path.join(replicaDir, 'modelwatch.sqlite')}'`);
        live.close();
      }
      // On PostgreSQL one exporter holds a journal instance at a time (store/instance-lock.ts): the
      // live one lets it go, and from here on is only read.
      await s.parts.instanceLock?.release();
      const replayed = await start(store, {
        MODELWATCH_DATA_DIR: replicaDir,
        MODELWATCH_INSTANCE: s.parts.config.journal.instance,
        MODELWATCH_AUDIT_KEY_FILE: path.join(s.dataDir, 'audit.key'),
      });
      servers.push(replayed);
      const live = await observe(s);
      const again = await observe(replayed);
      expect(again.status).toEqual(live.status);
      expect(again.stored).toEqual(live.stored);
      expect(await verified(replayed)).toBe(true);
      const perModel = (m: string[]) => m.filter((l) => l.includes('model="fraud"'));
      expect(perModel(again.metrics)).toEqual(perModel(live.metrics));
    }, 120_000);

    it.skipIf(!journal)(
      'journal full: 503 MW_ERR_JOURNAL_FULL before anything is written; after a checkpoint the retry succeeds',
      async () => {
        // 16 KiB of journal: room for one-event batches, not for a reference profile once they filled it.
        const small = await start(await setup(`refatomic_${tag}_c`), { MODELWATCH_JOURNAL_MAX_MB: String(16 / 1024) });
        servers.push(small);
        // The journal fills only while checkpoints cannot cover it (a half-full journal asks for
        // one): stand in for failing checkpoints by not answering its call.
        small.parts.journal.onPressure = undefined;
        await ok(put(small, 'v1', sample(0)));
        let n = 0;
        while ((await small.api('/api/v1/predictions', { method: 'POST', json: events(n, 1) })).status === 200) n++;
        const before = await observe(small);

        const refused = await put(small, 'v1', sample(5));
        expect(refused.status).toBe(503);
        expect(await refused.json()).toMatchObject({ code: 'MW_ERR_JOURNAL_FULL' });
        expect(await observe(small)).toEqual(before);
        expect(await verified(small)).toBe(true);

        await small.parts.checkpointer.checkpoint();
        await ok(put(small, 'v1', sample(5)));
        expect(await verified(small)).toBe(true);
        const stored = (await small.parts.references.list()).find((r) => r.version === 'v1')!;
        expect(JSON.parse(stored.profileJson).features.amount.count).toBe(60);
      },
      120_000,
    );
  });
}

describeAtomicReference('SQLite', SQLITE, true);
describeAtomicReference('SQLite', SQLITE, false);

if (shouldSkipPostgres()) {
  describe.skip('refused reference uploads on PostgreSQL (PostgreSQL not installed)', () => it('needs PostgreSQL', () => undefined));
} else {
  describeAtomicReference('PostgreSQL', POSTGRES, true);
  describeAtomicReference('PostgreSQL', POSTGRES, false);
  afterAll(async () => {
    await pgServer?.stop();
  });
}
