/**
 * modelwatch_retrain_recommended and the status verdict judge accuracy as the alerts do: the
 * upper end of its Wilson 95% interval against the threshold, not the point. 54 right of 63
 * (0.857) under a 0.92 threshold has upper end 0.923, which no accuracy alert fires on; 280 of
 * 400 (0.70) has upper end 0.743, which they do. Bounds are the reference script's (Wilson formula).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wilsonUpper } from '../../src/stats/index.js';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, scrape, tokenFor } from '../ingest/helpers.js';
import { generateReferenceData } from '../stats/reference-data.js';

const data = generateReferenceData();
const reference = (correct: number, n: number) => data.wilson.cases.find((c) => c.correct === correct && c.n === n)!;

it('the judged bound is the reference Wilson 95% upper end (0.857 of 63 → 0.923, 0.70 of 400 → 0.743)', () => {
  for (const [correct, n] of [
    [54, 63],
    [280, 400],
    [340, 400],
  ]) {
    const ref = reference(correct, n);
    expect(ref, `${correct}/${n} in the reference data`).toBeDefined();
    expect(Math.abs(wilsonUpper(correct / n, n)! - ref.hi)).toBeLessThan(1e-12);
  }
  expect(reference(54, 63).hi).toBeGreaterThan(0.92);
  expect(reference(280, 400).hi).toBeLessThan(0.92);
});

describe('accuracy under the retraining threshold: the interval, not the point', () => {
  let s: TestServer;
  let ingest: string;
  beforeAll(async () => {
    // The models are not registered, so status judges them by the default production gate
    // (min_accuracy 0.85) and the fleet-wide MODELWATCH_RETRAIN_MIN_ACCURACY (0.92 here).
    s = await startTestServer({ MODELWATCH_RETRAIN_MIN_ACCURACY: '0.92', MODELWATCH_RETRAIN_MIN_LABELED: '50' });
    ingest = await tokenFor(s, 'ingest');
    const send = async (model: string, correct: number, n: number) => {
      const events = Array.from({ length: n }, (_, i) => ({
        id: `${model}${i}`,
        features: {},
        prediction: 'a',
        label: i < correct ? 'a' : 'b',
      }));
      const res = await s.api('/api/v1/predictions', { method: 'POST', json: { model, version: 'v1', events }, token: ingest });
      expect(res.status).toBe(200);
    };
    await send('noisy', 54, 63);
    await send('bad', 280, 400);
    await send('middling', 340, 400);
  });
  afterAll(async () => {
    await s.close();
  });

  it('0.857 on 63 labels under 0.92 (upper end 0.923) recommends no retraining and is no verdict', async () => {
    const m = await scrape(s);
    expect(sample(m, 'modelwatch_model_accuracy_ratio', { model: 'noisy' })).toBeCloseTo(54 / 63, 12);
    expect(Math.abs(sample(m, 'modelwatch_model_accuracy_upper_ratio', { model: 'noisy' })! - reference(54, 63).hi)).toBeLessThan(1e-12);
    expect(sample(m, 'modelwatch_retrain_recommended', { model: 'noisy' })).toBe(0);
    const status = await (await s.api('/api/v1/models/noisy/status')).json();
    expect(status.health.reasons).not.toContainEqual(expect.objectContaining({ check: 'retrain_min_accuracy' }));
    expect(status.health.reasons).not.toContainEqual(expect.objectContaining({ check: 'min_accuracy' }));
    expect(status.health.verdict).toBe('healthy');
  });

  it('0.70 on 400 labels (upper end 0.743) recommends retraining and fails the 0.85 gate on that upper end', async () => {
    const m = await scrape(s);
    expect(sample(m, 'modelwatch_retrain_recommended', { model: 'bad' })).toBe(1);
    const status = await (await s.api('/api/v1/models/bad/status')).json();
    expect(status.health.verdict).toBe('failing');
    const reason = status.health.reasons.find((r: { check: string }) => r.check === 'min_accuracy');
    expect(reason).toMatchObject({ severity: 'critical', threshold: 0.85 });
    expect(Math.abs(reason.value - reference(280, 400).hi)).toBeLessThan(1e-12);
  });

  it('0.85 on 400 labels (upper end 0.883): over the gate, under the retraining threshold: a warning and a recommendation', async () => {
    const m = await scrape(s);
    expect(sample(m, 'modelwatch_retrain_recommended', { model: 'middling' })).toBe(1);
    const status = await (await s.api('/api/v1/models/middling/status')).json();
    expect(status.health.verdict).toBe('degraded');
    const reason = status.health.reasons.find((r: { check: string }) => r.check === 'retrain_min_accuracy');
    expect(reason).toMatchObject({ severity: 'warning', threshold: 0.92 });
    expect(Math.abs(reason.value - reference(340, 400).hi)).toBeLessThan(1e-12);
  });
});
