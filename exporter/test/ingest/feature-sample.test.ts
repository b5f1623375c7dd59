/**
 * Issue 11 §6, per feature: a feature's drift rests on its own values in the window, not on the
 * version's events. 100 events of which only 2 carry `x` give x a PSI of 8, which must neither
 * recommend retraining nor fail /status; once x itself has the minimum sample it does both.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sample, useIngestServer } from './helpers.js';

/** Standard normal draws from a seeded generator (Box–Muller over a 32-bit LCG): the same every run. */
function normals(n: number, seed: number): number[] {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 1) / 4294967297;
  };
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
}

describe('the minimum drift sample counts per feature', () => {
  const fx = useIngestServer();
  beforeAll(async () => {
    const reference = { features: { x: normals(500, 1), y: yRef } };
    expect((await fx.s.api('/api/v1/models/sparse/versions/v1/reference', { method: 'PUT', json: reference })).status).toBe(200);
  });
  const send = (events: unknown[]) => fx.predictions('sparse', events);
  const status = async () => (await fx.s.api('/api/v1/models/sparse/status?version=v1')).json();
  // y follows its reference: each event takes a reference value, spread over its quantiles, so its
  // PSI stays low and only x can recommend anything.
  const yRef = normals(500, 2);
  const sorted = [...yRef].sort((a, b) => a - b);
  const y = Array.from({ length: 148 }, (_, i) => sorted[Math.floor((((i * 61) % 148) + 0.5) * (500 / 148))]);

  it('2 values of x among 100 events: PSI exported with its sample of 2, not judged', async () => {
    // x is 3.0 and 4.0 on two events, null on half of the rest and absent on the others.
    const events = Array.from({ length: 100 }, (_, i) => ({
      id: `e${i}`,
      features: i < 2 ? { x: 3 + i, y: y[i] } : i % 2 === 0 ? { x: null, y: y[i] } : { y: y[i] },
      prediction: 'a',
    }));
    expect((await send(events)).status).toBe(200);
    const m = await fx.scrape();
    expect(sample(m, 'modelwatch_model_drift_window_events', { model: 'sparse' })).toBe(100);
    expect(sample(m, 'modelwatch_feature_psi', { model: 'sparse', feature: 'x' })).toBeGreaterThan(5);
    expect(sample(m, 'modelwatch_feature_window_values', { model: 'sparse', feature: 'x' })).toBe(2);
    expect(sample(m, 'modelwatch_feature_window_values', { model: 'sparse', feature: 'y' })).toBe(100);
    expect(sample(m, 'modelwatch_feature_psi', { model: 'sparse', feature: 'y' })).toBeLessThan(0.1);
    expect(sample(m, 'modelwatch_retrain_recommended', { model: 'sparse' })).toBe(0);
    const few = await status();
    expect(few.features.find((f: { name: string }) => f.name === 'x').count).toBe(2);
    expect(few.health.verdict).toBe('healthy');
    expect(few.health.reasons).toEqual([expect.objectContaining({ check: 'feature_psi', severity: 'info', feature: 'x' })]);
    expect(few.health.reasons[0].message).toContain('rests on only 2 values');
  });

  it('once x has 50 values of its own the same shift recommends retraining and fails the version', async () => {
    const events = Array.from({ length: 48 }, (_, i) => ({ id: `f${i}`, features: { x: 3 + (i % 2), y: y[100 + i] }, prediction: 'a' }));
    expect((await send(events)).status).toBe(200);
    const m = await fx.scrape();
    expect(sample(m, 'modelwatch_feature_window_values', { model: 'sparse', feature: 'x' })).toBe(50);
    expect(sample(m, 'modelwatch_retrain_recommended', { model: 'sparse' })).toBe(1);
    const many = await status();
    expect(many.health).toMatchObject({ verdict: 'failing', reasons: [{ check: 'feature_psi', severity: 'critical', feature: 'x' }] });
  });
});
