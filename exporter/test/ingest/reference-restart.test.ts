import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, scrape } from './helpers.js';

describe('reference persistence', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-ref-'));
  let s: TestServer | undefined;
  afterAll(async () => {
    await s?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reloads reference profiles after a restart and measures drift against them', async () => {
    s = await startTestServer({ MODELWATCH_DATA_DIR: dataDir });
    const reference = {
      features: { x: Array.from({ length: 100 }, (_, i) => i), color: ['red', 'red', 'blue', 'green'] },
      predictions: ['a', 'b'],
      positive_class: 'b',
    };
    const put = await s.api('/api/v1/models/churn/versions/v7/reference', { method: 'PUT', json: reference });
    expect(put.status).toBe(200);
    const bad = await s.api('/api/v1/models/churn/versions/v7/reference', {
      method: 'PUT',
      json: { features: { x: [1, 'two'], y: [null] } },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { details: Array<{ path: string }> }).details.map((d) => d.path).sort()).toEqual([
      'features.x',
      'features.y',
    ]);
    await s.api('/api/v1/predictions', {
      method: 'POST',
      // Timestamped before the window: counted, but not in the drift windows checked below.
      json: {
        model: 'churn',
        version: 'v7',
        events: [{ id: 1, features: { x: 5, color: 'red' }, prediction: 'a', score: 0.2, timestamp: Date.now() / 1000 - 7200 }],
      },
    });
    expect(sample(await scrape(s), 'modelwatch_predictions_total', { model: 'churn' })).toBe(1);
    await s.close();

    s = await startTestServer({ MODELWATCH_DATA_DIR: dataDir });
    // Counters and windows are restored (test/durable covers them); so is the reference.
    const before = await scrape(s);
    expect(sample(before, 'modelwatch_predictions_total', { model: 'churn' })).toBe(1);
    expect(sample(before, 'modelwatch_feature_psi', { model: 'churn' })).toBeUndefined();
    const kpi = await s.api('/api/v1/kpis', { method: 'POST', json: { model: 'churn', kpis: { churned: 3 } } });
    expect(kpi.status).toBe(200); // the model is known from its stored reference
    // Every value far above the reference range: the top decile bin gets everything.
    // Ids other than the pending prediction 1's: a repeated id is not counted again.
    const events = Array.from({ length: 50 }, (_, i) => ({
      id: 100 + i,
      features: { x: 1000 + i, color: 'purple' },
      prediction: 'b',
      score: 0.9,
    }));
    expect((await s.api('/api/v1/predictions', { method: 'POST', json: { model: 'churn', version: 'v7', events } })).status).toBe(200);
    const after = await scrape(s);
    // PSI: 9 bins at 0.1 ref vs floor 1e-4 current, and one bin 0.1 ref vs 1.0 current.
    const expected = 9 * (1e-4 - 0.1) * Math.log(1e-4 / 0.1) + (1 - 0.1) * Math.log(1 / 0.1);
    expect(sample(after, 'modelwatch_feature_psi', { model: 'churn', feature: 'x' })).toBeCloseTo(expected, 9);
    expect(sample(after, 'modelwatch_feature_out_of_range_ratio', { model: 'churn', feature: 'x' })).toBe(1);
    expect(sample(after, 'modelwatch_feature_js_distance', { model: 'churn', feature: 'color' })).toBeCloseTo(1, 9);
    expect(sample(after, 'modelwatch_prediction_psi', { model: 'churn' })).toBeGreaterThan(0.25);
    expect(sample(after, 'modelwatch_retrain_recommended', { model: 'churn' })).toBe(1);
  });
});
