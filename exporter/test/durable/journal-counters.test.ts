import { until, type RunningExporter } from '@modelwatch/test-support';
import { describe, expect, it } from 'vitest';
import { sample, samples } from '../ingest/helpers.js';
import { kill9, metrics, post, processFixture } from './process-helpers.js';

/*
 * The process-wide counters after a crash (src/ingest/monitor.ts, Monitor.restoring): a counter
 * restarts at 0 with its process, and Prometheus' increase() adds what the old process counted
 * before the crash to what the new one counts after. A journal replay re-applies batches the old
 * process already counted, so counting them again as ingest (or their drops, or the held labels
 * that expire at the replayed times) would count them twice. They count in
 * modelwatch_journal_replayed_events_total instead. Through a real kill -9, on both databases.
 */

const { skipPg, pg, tempDir, start } = processFixture('modelwatch-journal-counters-');

const predictions = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    return { id: `e${i}`, prediction: i % 3 === 0 ? '1' : '0', score: (i % 10) / 10 + 0.05 };
  });
const labels = (ids: string[]) => ids.map((id, k) => ({ id, label: k % 2 ? '1' : '0' }));
const range = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, k) => `${prefix}${from + k}`);

const ENDPOINTS = ['predictions', 'feedback', 'kpis'];

/** Every sample of a family, by its labels' text. */
function family(m: Map<string, number>, name: string): Record<string, number> {
  return Object.fromEntries(samples(m, name).map(({ key, value }) => [key.slice(name.length), value]));
}

async function crashAndReplay(env: Record<string, string>): Promise<void> {
  const settings = { MODELWATCH_CHECKPOINT_SECONDS: '3600', MODELWATCH_HELD_LABEL_SECONDS: '1', ...env };
  const dataDir = tempDir();
  let e: RunningExporter = await start(dataDir, settings);
  await post(e, '/api/v1/predictions', { model: 'clf', version: 'v1', events: predictions(0, 300) });
  // A retry: 10 duplicate_id drops, no events accepted.
  await post(e, '/api/v1/predictions', { model: 'clf', version: 'v1', events: predictions(0, 10) });
  expect(await post(e, '/api/v1/feedback', { model: 'clf', events: labels(range('e', 0, 100)) })).toMatchObject({ joined: 100 });
  // Labels whose predictions never come: held, then expired by the window clock of this process.
  expect(await post(e, '/api/v1/feedback', { model: 'clf', events: labels(range('never', 0, 50)) })).toMatchObject({ held: 50 });
  await until(
    'the held labels to expire',
    async () => (sample(await metrics(e), 'modelwatch_dropped_total', { reason: 'label_expired' }) === 50 ? true : undefined),
    {
      timeoutMs: 20_000,
      intervalMs: 100,
    },
  );
  // Journaled after the expiry: the replay ticks past it.
  await post(e, '/api/v1/predictions', { model: 'clf', version: 'v1', events: predictions(300, 400) });
  await post(e, '/api/v1/kpis', { model: 'clf', kpis: { revenue: 1, orders: 2 } });
  const before = await metrics(e);
  expect(family(before, 'modelwatch_ingested_events_total')).toEqual({
    '{endpoint="predictions"}': 400,
    '{endpoint="feedback"}': 150,
    '{endpoint="kpis"}': 2,
  });
  expect(sample(before, 'modelwatch_dropped_total', { reason: 'duplicate_id' })).toBe(10);

  await kill9(e);
  e = await start(dataDir, settings);
  const after = await metrics(e);
  // The state is back: every acknowledged event counts once in the per-version counters.
  expect(sample(after, 'modelwatch_predictions_total', { model: 'clf', version: 'v1' })).toBe(400);
  expect(sample(after, 'modelwatch_feedback_total', { model: 'clf', version: 'v1', outcome: 'joined' })).toBe(100);
  expect(sample(after, 'modelwatch_labels_held', { model: 'clf' })).toBeUndefined();
  expect(sample(after, 'modelwatch_journal_replayed_total', { outcome: 'applied' })).toBe(6);
  // This process has ingested nothing yet, dropped nothing and failed nothing.
  for (const endpoint of ENDPOINTS) expect(sample(after, 'modelwatch_ingested_events_total', { endpoint })).toBe(0);
  expect(Object.values(family(after, 'modelwatch_dropped_total')).every((n) => n === 0)).toBe(true);
  expect(Object.values(family(after, 'modelwatch_ingest_failures_total')).every((n) => n === 0)).toBe(true);
  // What it re-applied is counted apart, as the old process counted it.
  expect(family(after, 'modelwatch_journal_replayed_events_total')).toEqual({
    '{endpoint="predictions"}': 400,
    '{endpoint="feedback"}': 150,
    '{endpoint="kpis"}': 2,
  });

  // New traffic counts from 0, as new ingest, and a retry of a replayed batch is a drop of this process.
  await post(e, '/api/v1/predictions', { model: 'clf', version: 'v1', events: predictions(400, 450) });
  await post(e, '/api/v1/predictions', { model: 'clf', version: 'v1', events: predictions(0, 5) });
  const later = await metrics(e);
  expect(sample(later, 'modelwatch_ingested_events_total', { endpoint: 'predictions' })).toBe(50);
  expect(sample(later, 'modelwatch_dropped_total', { reason: 'duplicate_id' })).toBe(5);
  expect(sample(later, 'modelwatch_journal_replayed_events_total', { endpoint: 'predictions' })).toBe(400);
  await e.stop();
}

describe('process-wide counters after kill -9 and a journal replay', () => {
  it('SQLite: replayed batches, their drops and the held labels they expire are not counted again as this process’s ingest', async () => {
    await crashAndReplay({});
  }, 120_000);

  it.skipIf(skipPg)(
    'PostgreSQL: the same',
    async () => {
      await crashAndReplay({ MODELWATCH_DATABASE_URL: await pg().createDatabase('journal_counters') });
    },
    120_000,
  );
});
