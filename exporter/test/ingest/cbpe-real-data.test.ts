/**
 * The label-free estimate on real data, through the exporter's HTTP API: scikit-learn's bundled
 * digits dataset, a logistic regression, a labelled reference from held-out images, and live
 * windows selected by a pixel's value (see scripts/reference/cbpe_real.py).
 *
 * Documented tolerance (README, "Label-free performance estimate"): under covariate shift the
 * estimated accuracy is within 0.05 of the realized accuracy for windows of 300+ predictions
 * with a 600-row reference — the 95% band (±0.02–0.035 here) plus the calibration map's own
 * error. Under concept shift (labels flipped for a region) the estimate is wrong, by design.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReferenceData } from '../stats/reference-data.js';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, scrape } from './helpers.js';

const TOLERANCE = 0.05;

interface RealWindow {
  name: string;
  kind: 'covariate' | 'concept';
  ids: number[];
  features: Record<string, number[]>;
  scores: number[];
  predictions: string[];
  labels: string[];
  estimatedAccuracy: number;
  rawConfidence: number;
  realizedAccuracy: number;
}
interface RealData {
  reference: { features: Record<string, number[]>; labels: string[]; score: number[] };
  windows: RealWindow[];
}

describe('label-free estimate on real data (sklearn digits) under covariate and concept shift', () => {
  let s: TestServer;
  let data: RealData;
  const results = new Map<string, { estimated: number; lower: number; upper: number; realized: number }>();

  beforeAll(async () => {
    data = (generateReferenceData() as unknown as { cbpeReal: RealData }).cbpeReal;
    s = await startTestServer({ MODELWATCH_MAX_BATCH_EVENTS: '5000' });
    const post = async (path: string, json: unknown) => {
      const res = await s.api(path, { method: 'POST', json });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    };
    for (const w of data.windows) {
      const ref = await s.api(`/api/v1/models/digits/versions/${w.name}/reference`, { method: 'PUT', json: data.reference });
      expect(ref.status).toBe(200);
      const events = w.ids.map((id, i) => ({
        id: `${w.name}-${id}`,
        features: Object.fromEntries(Object.entries(w.features).map(([f, v]) => [f, v[i]])),
        prediction: w.predictions[i],
        score: w.scores[i],
      }));
      await post('/api/v1/predictions', { model: 'digits', version: w.name, events });
      const before = await scrape(s);
      const mv = { model: 'digits', version: w.name };
      const estimated = sample(before, 'modelwatch_model_estimated_accuracy_ratio', mv)!;
      const lower = sample(before, 'modelwatch_model_estimated_accuracy_lower_ratio', mv)!;
      const upper = sample(before, 'modelwatch_model_estimated_accuracy_upper_ratio', mv)!;
      // The labels arrive later, as feedback.
      await post('/api/v1/feedback', { model: 'digits', events: w.ids.map((id, i) => ({ id: `${w.name}-${id}`, label: w.labels[i] })) });
      const realized = sample(await scrape(s), 'modelwatch_model_accuracy_ratio', mv)!;
      results.set(w.name, { estimated, lower, upper, realized });
    }
    process.stderr.write(
      `cbpe real data: ${[...results].map(([n, r]) => `${n} estimated ${r.estimated.toFixed(3)} realized ${r.realized.toFixed(3)}`).join('; ')}\n`,
    );
  });
  afterAll(async () => {
    await s?.close();
  });

  it('exports what sklearn-based CBPE computes, and the realized accuracy sklearn computes', () => {
    for (const w of data.windows) {
      const r = results.get(w.name)!;
      expect(Math.abs(r.estimated - w.estimatedAccuracy), w.name).toBeLessThan(1e-9);
      expect(Math.abs(r.realized - w.realizedAccuracy), w.name).toBeLessThan(1e-12);
    }
  });

  it('tracks the realized accuracy within the documented tolerance under covariate shift', () => {
    const covariate = data.windows.filter((w) => w.kind === 'covariate');
    expect(covariate.length).toBeGreaterThanOrEqual(3);
    // The windows really differ: selection by a pixel moves realized accuracy by several points.
    const realized = covariate.map((w) => results.get(w.name)!.realized);
    expect(Math.max(...realized) - Math.min(...realized)).toBeGreaterThan(0.05);
    for (const w of covariate) {
      const r = results.get(w.name)!;
      expect(Math.abs(r.estimated - r.realized), w.name).toBeLessThanOrEqual(TOLERANCE);
      // The raw scores alone would be far off: calibration is what makes the estimate work.
      expect(Math.abs(w.rawConfidence - r.realized), w.name).toBeGreaterThan(TOLERANCE);
    }
  });

  it('is wrong under concept shift — the documented limit: P(y | x) must not change', () => {
    const concept = data.windows.find((w) => w.kind === 'concept')!;
    const r = results.get(concept.name)!;
    const sameRows = results.get('pixel20-high')!;
    // Same inputs, same scores: the estimate cannot tell the flipped labels apart...
    expect(r.estimated).toBeCloseTo(sameRows.estimated, 12);
    // ...while the labels show the model is now much worse than the band says.
    expect(r.realized).toBeLessThan(r.lower - 0.2);
  });
});
