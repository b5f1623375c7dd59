/**
 * `npm start` (serve --demo) keeps its windows across a restart like real traffic (issue 12):
 * demo models are checkpointed, their references are in place before the restore, so drift
 * windows come back on the same bins, and a restarted demo continues them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { until } from '@modelwatch/test-support';
import { afterAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, scrape } from '../ingest/helpers.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-demo-restart-'));
const env = { MODELWATCH_DATA_DIR: dataDir, MODELWATCH_CHECKPOINT_SECONDS: '0' };
let s: TestServer | undefined;
afterAll(async () => {
  await s?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The demo models' window series of a scrape. */
async function demoSeries(server: TestServer): Promise<Map<string, number>> {
  return new Map([...(await scrape(server))].filter(([k]) => /model="demo-/.test(k) && !/modelwatch_model_(stage|info)\b/.test(k)));
}

it('a clean stop keeps the demo windows, drift included, and the restarted demo continues them', async () => {
  s = await startTestServer(env, { demo: true });
  const first = sample(await scrape(s), 'modelwatch_predictions_total', { model: 'demo-churn' })!;
  // Right after a tick (every 2 s) there is time to scrape and stop before the next one.
  await until('a demo tick', async () => {
    const n = sample(await scrape(s!), 'modelwatch_predictions_total', { model: 'demo-churn' })!;
    return n > first ? n : undefined;
  });
  const before = await demoSeries(s);
  await s.close();
  s = undefined;

  s = await startTestServer(env, { demo: true });
  const after = await demoSeries(s);
  for (const model of ['demo-churn', 'demo-ranker', 'demo-search', 'demo-fraud', 'demo-credit', 'demo-pricing']) {
    // What was kept, plus the restarted demo's first batch of 400 events (an empty start shows 400).
    for (const name of ['modelwatch_predictions_total', 'modelwatch_model_window_predictions', 'modelwatch_model_drift_window_events'])
      expect([model, name, sample(after, name, { model })]).toEqual([model, name, sample(before, name, { model })! + 400]);
    expect([
      model,
      sample(after, 'modelwatch_labeled_predictions_total', { model })! >=
        sample(before, 'modelwatch_labeled_predictions_total', { model })!,
    ]).toEqual([model, true]);
  }
  // Drift windows came back on the same bins: the demo's references (in memory, not stored) were
  // in place before the restore.
  expect(await s.parts.references.list()).toEqual([]);
  expect(sample(after, 'modelwatch_feature_psi', { model: 'demo-fraud', feature: 'num_00' })).toBeDefined();
});
