/**
 * The output's PSI counts toward modelwatch_retrain_recommended as it does in the rules'
 * ModelwatchRetrainingRecommended reason="drift" (alert-rules/src/alerts/retraining.ts, README
 * "Sample sizes and intervals"): above MODELWATCH_RETRAIN_MAX_PSI once the version's drift window
 * holds MODELWATCH_RETRAIN_MIN_DRIFT_EVENTS events, not below. The gauge used to look at features
 * only, so a model whose inputs are stable and whose outputs all flipped to one class stayed 0
 * while the alert fired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, scrape } from '../ingest/helpers.js';

describe('modelwatch_retrain_recommended counts the output PSI', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ MODELWATCH_RETRAIN_MIN_DRIFT_EVENTS: '50' });
    // The input never moves (one category, as in the reference); the output is half a, half b.
    const reference = {
      features: { plan: Array.from({ length: 200 }, () => 'basic') },
      predictions: Array.from({ length: 200 }, (_, i) => (i % 2 ? 'a' : 'b')),
    };
    expect((await s.api('/api/v1/models/flip/versions/v1/reference', { method: 'PUT', json: reference })).status).toBe(200);
  });
  afterAll(async () => {
    await s.close();
  });
  // Every prediction is b: the output drifted (PSI ≈ 4.6), the input did not (PSI 0).
  const send = (from: number, n: number) =>
    s.api('/api/v1/predictions', {
      method: 'POST',
      json: {
        model: 'flip',
        version: 'v1',
        events: Array.from({ length: n }, (_, i) => ({ id: `e${from + i}`, features: { plan: 'basic' }, prediction: 'b' })),
      },
    });
  const gauges = async () => {
    const m = await scrape(s);
    const at = { model: 'flip', version: 'v1' };
    return {
      events: sample(m, 'modelwatch_model_drift_window_events', at),
      outputPsi: sample(m, 'modelwatch_prediction_psi', at),
      featurePsi: sample(m, 'modelwatch_feature_psi', { ...at, feature: 'plan' }),
      retrain: sample(m, 'modelwatch_retrain_recommended', at),
    };
  };

  // The status verdict judges the output as the gauge does (it used to look at features only, so
  // this version was "healthy" while retraining was recommended).
  const status = async () => {
    const res = await s.api('/api/v1/models/flip/status');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { health: { verdict: string; reasons: Array<{ check: string; severity: string; value: number }> } };
    return body.health;
  };

  it('below the minimum drift events: output PSI exported, not judged', async () => {
    expect((await send(0, 10)).status).toBe(200);
    const g = await gauges();
    expect(g.events).toBe(10);
    expect(g.outputPsi).toBeGreaterThan(1);
    expect(g.featurePsi).toBe(0);
    expect(g.retrain).toBe(0);
    const h = await status();
    expect(h.reasons.filter((r) => r.check === 'output_psi').map((r) => r.severity)).toEqual(['info']);
    expect(h.verdict).toBe('healthy');
  });

  it('from the minimum on, output PSI above MODELWATCH_RETRAIN_MAX_PSI recommends retraining', async () => {
    expect((await send(10, 40)).status).toBe(200);
    const g = await gauges();
    expect(g.events).toBe(50);
    expect(g.featurePsi).toBe(0);
    expect(g.retrain).toBe(1);
    const h = await status();
    const output = h.reasons.filter((r) => r.check === 'output_psi');
    expect(output.map((r) => r.severity)).toEqual(['critical']);
    expect(output[0].value).toBe(g.outputPsi);
    expect(h.verdict).toBe('failing');
  });
});
