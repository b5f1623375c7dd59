import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { CATALOG_NAMES } from '../../src/metrics/catalog.js';
import { sample, scrape } from '../ingest/helpers.js';

const RESET_BY_RESTART = new Set([
  'modelwatch_ingested_events_total',
  'modelwatch_dropped_total',
  'modelwatch_checkpoints_total',
  'modelwatch_journal_bytes',
  'modelwatch_journal_batches',
  'modelwatch_journal_rejected_total',
  'modelwatch_journal_replayed_total',
  'modelwatch_checkpoint_duration_seconds',
  'modelwatch_checkpoint_bytes',
  'modelwatch_last_checkpoint_timestamp_seconds',
  'modelwatch_snapshots_skipped_total',
]);

/** The catalog's series of a scrape, without the process-wide ones a restart resets. */
async function windowSeries(s: TestServer): Promise<Map<string, number>> {
  const all = await scrape(s);
  const names = new Set(CATALOG_NAMES.filter((n) => !RESET_BY_RESTART.has(n)));
  return new Map([...all].filter(([k]) => names.has(k.replace(/\{.*$/, '').replace(/_(bucket|sum|count)$/, ''))));
}

const predictions = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    return {
      id: `p${i}`,
      features: { x: i % 17, plan: i % 3 === 0 ? 'pro' : 'free' },
      prediction: i % 4 === 0 ? '1' : '0',
      score: (i % 10) / 10,
    };
  });
const labels = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => ({ id: `p${from + k}`, label: (from + k) % 3 === 0 ? '1' : '0' }));

describe('clean restart keeps what was acknowledged (case 11)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-durable-'));
  let s: TestServer | undefined;
  afterAll(async () => {
    await s?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const env = { MODELWATCH_DATA_DIR: dataDir, MODELWATCH_CHECKPOINT_SECONDS: '0' };

  it('1,000 predictions, 100 labels, restart, 900 labels: all 900 join; counters, windows and KPIs are kept', async () => {
    s = await startTestServer(env);
    const ref = {
      features: { x: Array.from({ length: 50 }, (_, i) => i % 17), plan: ['pro', 'free', 'free'] },
      predictions: ['0', '1', '0'],
    };
    expect((await s.api('/api/v1/models/churn/versions/v1/reference', { method: 'PUT', json: ref })).status).toBe(200);
    for (let b = 0; b < 1000; b += 250) {
      const r = await s.api('/api/v1/predictions', {
        method: 'POST',
        json: { model: 'churn', version: 'v1', events: predictions(b, b + 250) },
      });
      expect(r.status).toBe(200);
    }
    expect(
      await (await s.api('/api/v1/feedback', { method: 'POST', json: { model: 'churn', events: labels(0, 100) } })).json(),
    ).toMatchObject({
      accepted: 100,
    });
    expect((await s.api('/api/v1/kpis', { method: 'POST', json: { model: 'churn', kpis: { revenue: 1234.5 } } })).status).toBe(200);
    const before = await windowSeries(s);
    expect(sample(before, 'modelwatch_predictions_total', { model: 'churn' })).toBe(1000);
    await s.close();

    s = await startTestServer(env);
    const restored = await windowSeries(s);
    expect(restored).toEqual(before);
    const answer = await s.api('/api/v1/feedback', { method: 'POST', json: { model: 'churn', events: labels(100, 1000) } });
    expect(await answer.json()).toMatchObject({ accepted: 900 });
    const after = await scrape(s);
    expect(sample(after, 'modelwatch_feedback_total', { model: 'churn', version: 'v1', outcome: 'joined' })).toBe(1000);
    expect(sample(after, 'modelwatch_feedback_total', { model: 'churn', outcome: 'unknown_prediction' })).toBeUndefined();
    expect(sample(after, 'modelwatch_labeled_predictions_total', { model: 'churn' })).toBe(1000);
    expect(sample(after, 'modelwatch_business_kpi', { model: 'churn', kpi: 'revenue' })).toBe(1234.5);
    // Correct: prediction "1" iff i%4==0, label "1" iff i%3==0: equal when both or neither hold.
    let correct = 0;
    for (let i = 0; i < 1000; i++) if ((i % 4 === 0) === (i % 3 === 0)) correct++;
    expect(sample(after, 'modelwatch_correct_predictions_total', { model: 'churn' })).toBe(correct);
    expect(sample(after, 'modelwatch_model_accuracy_ratio', { model: 'churn' })).toBeCloseTo(correct / 1000, 12);
  });

  it('a corrupt snapshot row is skipped with a warning and counted; the exporter still starts', async () => {
    await s!.close();
    const db = new (await import('better-sqlite3')).default(path.join(dataDir, 'modelwatch.sqlite'));
    db.prepare(`update version_snapshots set state = ? where model = 'churn'`).run(Buffer.from('not a snapshot'));
    db.close();
    s = await startTestServer(env);
    const m = await scrape(s);
    expect(sample(m, 'modelwatch_snapshots_skipped_total')).toBe(1);
    // The model row (pending predictions, KPIs) still restored; the version starts empty.
    expect(sample(m, 'modelwatch_business_kpi', { model: 'churn', kpi: 'revenue' })).toBe(1234.5);
    expect(sample(m, 'modelwatch_predictions_total', { model: 'churn' })).toBe(0);
  });
});
