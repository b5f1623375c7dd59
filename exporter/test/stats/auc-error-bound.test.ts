/**
 * The ROC AUC comes with the largest distance it can be from the exact value of the same events
 * (`modelwatch_model_roc_auc_error_bound`, status `roc_auc_error_bound`): half the positive-
 * negative pairs that share a score bin, over all pairs. A narrow band of scores among a few
 * outliers (a fresh attacker's cases: 2,000 scores within 0.0015 of 0.5 plus one at 0.01) can
 * put the band in a handful of bins, and the AUC off sklearn's by more than 0.005; the bound says
 * so rather than leave the number silently wrong. Reference values: scripts/reference/generate.py
 * (`band_outliers`, `roc_auc_score`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, scrape, tokenFor } from '../ingest/helpers.js';
import { generateReferenceData, type ReferenceData } from './reference-data.js';

let data: ReferenceData;
let s: TestServer;

beforeAll(async () => {
  data = generateReferenceData();
  s = await startTestServer();
  const ingest = await tokenFor(s, 'ingest');
  const cases = [...data.bandOutliers, ...data.bandSweep.filter((c) => c.name.startsWith('band_0.5_'))];
  for (const c of cases) {
    const events = c.y.map((y, i) => ({ id: `e${i}`, features: {}, prediction: c.scores[i] >= 0.5 ? 1 : 0, score: c.scores[i], label: y }));
    const res = await s.api('/api/v1/predictions', { method: 'POST', json: { model: c.name, version: 'v1', events }, token: ingest });
    expect(res.status, JSON.stringify(await res.clone().json())).toBe(200);
  }
});
afterAll(async () => {
  await s?.close();
});

describe('ROC AUC error bound', () => {
  it('always contains sklearn’s value, on bands with outliers and without', async () => {
    const m = await scrape(s);
    for (const c of [...data.bandOutliers, ...data.bandSweep.filter((x) => x.name.startsWith('band_0.5_'))]) {
      const auc = sample(m, 'modelwatch_model_roc_auc', { model: c.name })!;
      const bound = sample(m, 'modelwatch_model_roc_auc_error_bound', { model: c.name })!;
      expect(bound, c.name).toBeGreaterThanOrEqual(0);
      expect(Math.abs(auc - c.auc), `${c.name}: ${auc} vs sklearn ${c.auc}, bound ${bound}`).toBeLessThanOrEqual(bound + 1e-12);
      if (c.name.includes('outlier') || c.name.includes('uniform'))
        console.log(`${c.name}: AUC ${auc.toFixed(5)}, sklearn ${c.auc.toFixed(5)}, bound ${bound.toFixed(5)}`);
    }
  });

  it('is within the 0.005 promise where the AUC is (narrow bands alone)', async () => {
    const m = await scrape(s);
    for (const c of data.bandSweep.filter((x) => x.name.startsWith('band_0.5_')))
      expect(sample(m, 'modelwatch_model_roc_auc_error_bound', { model: c.name }), c.name).toBeLessThanOrEqual(0.005);
  });

  it('status reports the same AUC and bound as /metrics', async () => {
    const m = await scrape(s);
    const c = data.bandOutliers[0];
    const status = await (await s.api(`/api/v1/models/${c.name}/status`)).json();
    expect(status.quality.roc_auc).toBe(sample(m, 'modelwatch_model_roc_auc', { model: c.name }));
    expect(status.quality.roc_auc_error_bound).toBe(sample(m, 'modelwatch_model_roc_auc_error_bound', { model: c.name }));
  });
});
