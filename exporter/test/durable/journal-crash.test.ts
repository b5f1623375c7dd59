import path from 'node:path';
import { until, type RunningExporter } from '@modelwatch/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { sample } from '../ingest/helpers.js';
import { generateReferenceData, type ClassificationCase } from '../stats/reference-data.js';
import { durableSeries, kill9, labelEvents, metrics, post, processFixture } from './process-helpers.js';

/*
 * The write-ahead ingest journal (src/durable/journal.ts): every acknowledged batch survives
 * kill -9 of the real exporter process, on SQLite and on PostgreSQL, counted exactly once.
 * Without the journal these fail: no checkpoint runs before the kill, so everything is lost.
 */

const { skipPg, pg, tempDir, start } = processFixture('modelwatch-journal-');
let binary: ClassificationCase;

beforeAll(() => {
  binary = generateReferenceData().classification.find((c) => c.name === 'binary_balanced')!;
});

/** sklearn's binary_balanced events with two features each (one numeric, one categorical). */
function predictionEvents(c: ClassificationCase, from: number, to: number) {
  return c.events.slice(from, to).map((e, k) => {
    const i = from + k;
    return {
      id: `e${i}`,
      features: { x: (i % 97) / 10, colour: ['red', 'green', 'blue'][i % 3] },
      prediction: c.classNames[e.p],
      score: e.probs![1],
    };
  });
}

/**
 * The same acknowledged traffic for every run: a reference, predictions with features, labels
 * after their predictions, labels before them (held, some joined later, some still held), KPIs.
 */
async function traffic(e: RunningExporter, part: 1 | 2): Promise<void> {
  if (part === 1) {
    const ref = {
      features: {
        x: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        colour: ['red', 'green', 'blue', 'red', 'green', 'blue', 'red', 'green', 'blue', 'red'],
      },
      predictions: ['neg', 'pos'],
      positive_class: 'pos',
    };
    expect((await e.api('PUT', '/api/v1/models/clf/versions/v1/reference', ref)).status).toBe(200);
    for (let i = 0; i < 1500; i += 500)
      await post(e, '/api/v1/predictions', { model: 'clf', version: 'v1', events: predictionEvents(binary, i, i + 500) });
    expect(await post(e, '/api/v1/feedback', { model: 'clf', events: labelEvents(binary, 0, 900) })).toMatchObject({ joined: 900 });
    // Labels before their predictions (case 10): 1500..1599 come now, their predictions below.
    expect(await post(e, '/api/v1/feedback', { model: 'clf', events: labelEvents(binary, 1500, 1600) })).toMatchObject({ held: 100 });
    await post(e, '/api/v1/kpis', { model: 'clf', kpis: { revenue: 42.5 } });
    return;
  }
  await post(e, '/api/v1/predictions', { model: 'clf', version: 'v1', events: predictionEvents(binary, 1500, 2500) });
  expect(await post(e, '/api/v1/feedback', { model: 'clf', events: labelEvents(binary, 900, 1200) })).toMatchObject({ joined: 300 });
  // Still held at the crash: predictions 2900..2999 never come in these runs.
  expect(await post(e, '/api/v1/feedback', { model: 'clf', events: labelEvents(binary, 2900, 3000) })).toMatchObject({ held: 100 });
  await post(e, '/api/v1/kpis', { model: 'clf', kpis: { revenue: 43.5, orders: 7 } });
  // A retry of acknowledged predictions is still recognised after the replay.
  await post(e, '/api/v1/predictions', { model: 'clf', version: 'v1', events: predictionEvents(binary, 0, 10) });
}

async function status(e: RunningExporter): Promise<unknown> {
  const r = await e.api('GET', '/api/v1/models/clf/status');
  expect(r.status).toBe(200);
  return r.data;
}

/** What a run that never crashed shows after the same traffic. */
async function reference(
  env: Record<string, string>,
  betweenParts?: (e: RunningExporter) => Promise<unknown>,
): Promise<{ series: Map<string, number>; status: unknown }> {
  const e = await start(tempDir(), env);
  await traffic(e, 1);
  await betweenParts?.(e);
  await traffic(e, 2);
  const out = { series: await durableSeries(e), status: await status(e) };
  await e.stop();
  return out;
}

/** The replayed traffic counts exactly once; the labels still join; audit verifies. */
async function expectSameAsNeverCrashed(e: RunningExporter, expected: { series: Map<string, number>; status: unknown }): Promise<void> {
  const after = await durableSeries(e);
  expect(sample(after, 'modelwatch_predictions_total', { model: 'clf', version: 'v1' })).toBe(2500);
  expect(sample(after, 'modelwatch_feedback_total', { model: 'clf', version: 'v1', outcome: 'joined' })).toBe(1300);
  expect(sample(after, 'modelwatch_labels_held', { model: 'clf' })).toBe(100);
  expect(sample(after, 'modelwatch_business_kpi', { model: 'clf', kpi: 'orders' })).toBe(7);
  // Two runs differ only in wall time: how long labels took (the replay applies each batch at its
  // recorded time, so within one run it is kept) and the audit chain's timestamps, hence its hash.
  // How long is the sum and which finite buckets the delays fall in (on a loaded machine some take
  // over a second); how many there are — the +Inf bucket and the count — is compared.
  const timed = /^modelwatch_(label_delay_seconds_sum|label_delay_seconds_bucket\{.*le="(?!\+Inf)|audit_head_hash_prefix)/;
  const untimed = (m: Map<string, number>) => new Map([...m].filter(([k]) => !timed.test(k)));
  expect(untimed(after)).toEqual(untimed(expected.series));
  expect(after.size).toBe(expected.series.size);
  expect(await status(e)).toEqual(expected.status);
  // Labels posted after the restart join predictions acknowledged before the crash.
  expect(await post(e, '/api/v1/feedback', { model: 'clf', events: labelEvents(binary, 1200, 1500) })).toMatchObject({ joined: 300 });
  const m = await metrics(e);
  expect(sample(m, 'modelwatch_model_window_labeled', { model: 'clf' })).toBe(1600);
  expect((await e.api('GET', '/api/v1/audit/verify')).data).toMatchObject({ ok: true });
}

/** The store settings of one run: SQLite in the data dir, or a fresh PostgreSQL database. */
type Store = (run: string) => Promise<Record<string, string>>;
const sqlite: Store = async () => ({});
const postgres: Store = async (run) => ({ MODELWATCH_DATABASE_URL: await pg().createDatabase(run) });

/** `names`: the instance names of the run before and after the crash (default: the default name both times). */
async function crashBeforeAnyCheckpoint(store: Store, names: [string, string] | [] = []): Promise<void> {
  const expected = await reference({ MODELWATCH_CHECKPOINT_SECONDS: '3600', ...(await store('journal_ref1')) });
  const settings = { MODELWATCH_CHECKPOINT_SECONDS: '3600', ...(await store('journal_crash1')) };
  const named = (i: 0 | 1) => (names.length ? { ...settings, MODELWATCH_INSTANCE: names[i] } : settings);
  const dataDir = tempDir();
  let e = await start(dataDir, named(0));
  await traffic(e, 1);
  await traffic(e, 2);
  await kill9(e);
  e = await start(dataDir, named(1));
  const m = await metrics(e);
  expect(sample(m, 'modelwatch_journal_replayed_total', { outcome: 'applied' })).toBeGreaterThan(0);
  await expectSameAsNeverCrashed(e, expected);
  await e.stop();
}

/** A database's journal rows, read and written behind the exporter's back (to stage a crash). */
async function journalRows(env: Record<string, string>, dataDir: string) {
  return openDatabase({ databaseUrl: env.MODELWATCH_DATABASE_URL, sqlitePath: path.join(dataDir, 'modelwatch.sqlite') });
}

/**
 * The crash falls between a checkpoint's snapshot commit and the deletion of the journal rows it
 * covers: the rows are still there at restart, and must not be applied a second time.
 */
async function crashRightAfterCheckpoint(store: Store): Promise<void> {
  // The reference run pauses as long between the parts, so that label delays fall in the same buckets.
  const expected = await reference({ MODELWATCH_CHECKPOINT_SECONDS: '2', ...(await store('journal_ref2')) }, (e) =>
    until(
      'a checkpoint to cover the first part',
      async () => (sample(await metrics(e), 'modelwatch_journal_batches') === 0 ? true : undefined),
      {
        timeoutMs: 20_000,
        intervalMs: 100,
      },
    ),
  );
  const env = await store('journal_crash2');
  const settings = { MODELWATCH_CHECKPOINT_SECONDS: '2', ...env };
  const dataDir = tempDir();
  let e = await start(dataDir, settings);
  await traffic(e, 1);
  const db = await journalRows(env, dataDir);
  let saved: Array<Record<string, unknown>> = [];
  try {
    saved = await db.db.selectFrom('ingest_journal').selectAll().execute();
    expect(saved.length).toBeGreaterThan(0);
    await until(
      'a checkpoint to cover the first part and delete its journal rows',
      async () => ((await db.db.selectFrom('ingest_journal').select('seq').execute()).length === 0 ? true : undefined),
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    await traffic(e, 2);
    await kill9(e);
    // Put the covered rows back, as if the process had died before deleting them.
    await db.db
      .insertInto('ingest_journal')
      .values(saved as never)
      .execute();
  } finally {
    await db.close();
  }
  e = await start(dataDir, settings);
  const m = await metrics(e);
  expect(sample(m, 'modelwatch_journal_replayed_total', { outcome: 'covered' })).toBe(saved.length);
  await expectSameAsNeverCrashed(e, expected);
  await e.stop();
}

describe('write-ahead ingest journal: acknowledged batches survive kill -9 of the exporter', () => {
  it('SQLite: kill -9 before any checkpoint; after the restart every acknowledged event counts once, as in a run that never crashed', async () => {
    await crashBeforeAnyCheckpoint(sqlite);
  }, 120_000);

  it.skipIf(skipPg)(
    'PostgreSQL: the same',
    async () => {
      await crashBeforeAnyCheckpoint(postgres);
    },
    120_000,
  );

  it('SQLite: the restarted exporter has another instance name (a recreated container has a new host name) and still replays every row', async () => {
    await crashBeforeAnyCheckpoint(sqlite, ['3f2a9c1d0b7e:/data', '8e41b6d2a0c9:/data']);
  }, 120_000);

  it('SQLite: a crash right after a checkpoint does not replay the rows it covers', async () => {
    await crashRightAfterCheckpoint(sqlite);
  }, 120_000);

  it.skipIf(skipPg)(
    'PostgreSQL: the same',
    async () => {
      await crashRightAfterCheckpoint(postgres);
    },
    120_000,
  );
});
