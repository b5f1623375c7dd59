import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, scrape } from '../ingest/helpers.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({}, { demo: true });
});
afterAll(async () => {
  await s.close();
});

it('shows real series on /metrics as soon as the demo starts', async () => {
  const series = await scrape(s);
  expect(sample(series, 'modelwatch_predictions_total', { model: 'demo-churn' })).toBe(400);
  // The fleet starts green (fleet.ts; demo-fleet.test.ts follows it as it turns amber and red).
  for (const model of ['demo-churn', 'demo-ranker', 'demo-search', 'demo-fraud', 'demo-credit', 'demo-pricing']) {
    expect([model, sample(series, 'modelwatch_retrain_recommended', { model })]).toEqual([model, 0]);
    expect(sample(series, 'modelwatch_model_accuracy_ratio', { model })).toBeGreaterThan(0.85);
  }
  expect(sample(series, 'modelwatch_feature_psi', { model: 'demo-fraud', feature: 'num_00' })).toBeLessThan(0.1);
  expect(sample(series, 'modelwatch_model_stage', { model: 'demo-churn', version: 'v3', stage: 'production' })).toBe(1);
  // Demo references stay in memory: only the registry entries were written to the store.
  expect(await s.parts.references.list()).toEqual([]);
});

it('registers the demo models once, leaving them as they are on the next start', async () => {
  const res = await s.api('/api/v1/models/demo-fraud/transitions');
  expect(res.status).toBe(200);
  const before = JSON.stringify(await res.json());
  expect(before).toContain('"production"');
  // one exporter holds a data directory at a time (store/data-dir-lock.ts): stop, then start again
  await s.close();
  s = await startTestServer({ MODELWATCH_DATA_DIR: s.dataDir, MODELWATCH_PORT: '0' }, { demo: true });
  const after = await s.api('/api/v1/models/demo-fraud/transitions');
  expect(JSON.stringify(await after.json())).toBe(before);
});
