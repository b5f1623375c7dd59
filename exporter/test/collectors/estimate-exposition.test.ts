import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimatedMetrics, fitBinaryCalibration, newEstimateState, estimateBinary } from '../../src/stats/index.js';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, scrape } from '../ingest/helpers.js';

/** A small seeded generator, so the test's events are the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('label-free estimate and label series on /metrics', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ MODELWATCH_MAX_BATCH_EVENTS: '5000' });
  });
  afterAll(async () => {
    await s.close();
  });

  const random = rng(7);
  const reference = Array.from({ length: 2000 }, () => {
    const score = random();
    // Over-confident scores: the truth is pulled toward 0.5.
    const label = random() < 0.25 + 0.5 * score ? 'fraud' : 'ok';
    return { score, label };
  });
  const live = Array.from({ length: 400 }, (_, i) => ({ id: `p${i}`, score: random() }));

  it('exports the estimate the pure core computes, its band, and the calibration error', async () => {
    const res = await s.api('/api/v1/models/fraud/versions/v1/reference', {
      method: 'PUT',
      json: {
        features: { amount: reference.map((r) => r.score) },
        labels: reference.map((r) => r.label),
        score: reference.map((r) => r.score),
        positive_class: 'fraud',
      },
    });
    expect(res.status).toBe(200);
    const events = live.map((e) => ({
      id: e.id,
      features: { amount: e.score },
      prediction: e.score >= 0.5 ? 'fraud' : 'ok',
      score: e.score,
    }));
    expect((await s.api('/api/v1/predictions', { method: 'POST', json: { model: 'fraud', version: 'v1', events } })).status).toBe(200);

    const cal = fitBinaryCalibration(
      reference.map((r) => r.label),
      reference.map((r) => r.score),
      'fraud',
    );
    const state = newEstimateState(cal);
    for (const e of live) estimateBinary(cal, state, e.score, e.score >= 0.5);
    const expected = estimatedMetrics(state, ['not fraud', 'fraud'])!;

    const m = await scrape(s);
    const mv = { model: 'fraud', version: 'v1' };
    expect(sample(m, 'modelwatch_model_estimated_window_events', mv)).toBe(400);
    expect(sample(m, 'modelwatch_model_estimated_accuracy_ratio', mv)).toBeCloseTo(expected.accuracy, 12);
    expect(sample(m, 'modelwatch_model_estimated_accuracy_lower_ratio', mv)).toBeCloseTo(expected.accuracyLower, 12);
    expect(sample(m, 'modelwatch_model_estimated_accuracy_upper_ratio', mv)).toBeCloseTo(expected.accuracyUpper, 12);
    expect(sample(m, 'modelwatch_model_estimated_precision_ratio', { ...mv, class: 'fraud' })).toBeCloseTo(
      expected.perClass.fraud.precision,
      12,
    );
    expect(sample(m, 'modelwatch_model_estimated_f1_score', { ...mv, class: 'fraud' })).toBeCloseTo(expected.perClass.fraud.f1, 12);
    expect(sample(m, 'modelwatch_model_estimated_roc_auc', mv)).toBeCloseTo(expected.rocAuc!, 12);
    expect(sample(m, 'modelwatch_reference_calibration_error', { ...mv, scores: 'raw' })).toBeCloseTo(cal.eceBefore, 12);
    // Over-confident by construction: the raw scores are far from calibrated, the map is not.
    expect(cal.eceBefore).toBeGreaterThan(0.1);
    expect(sample(m, 'modelwatch_reference_calibration_error', { ...mv, scores: 'calibrated' })!).toBeLessThan(0.05);
    // Nothing is labelled yet: no realized accuracy, coverage 0, all 400 waiting.
    expect(sample(m, 'modelwatch_model_accuracy_ratio', mv)).toBeUndefined();
    expect(sample(m, 'modelwatch_model_label_coverage_ratio', mv)).toBe(0);
    expect(sample(m, 'modelwatch_model_labels_pending', { ...mv, age_le: '+Inf' })).toBe(400);
    expect(sample(m, 'modelwatch_model_labels_pending', { ...mv, age_le: '60' })).toBe(400);
  });

  it('label coverage, pending predictions and the delay histogram follow the labels', async () => {
    const labels = live.slice(0, 100).map((e) => ({ id: e.id, label: e.score > 0.7 ? 'fraud' : 'ok' }));
    expect((await s.api('/api/v1/feedback', { method: 'POST', json: { model: 'fraud', events: labels } })).status).toBe(200);
    const m = await scrape(s);
    const mv = { model: 'fraud', version: 'v1' };
    expect(sample(m, 'modelwatch_model_label_coverage_ratio', mv)).toBeCloseTo(0.25, 12);
    expect(sample(m, 'modelwatch_model_labels_pending', { ...mv, age_le: '+Inf' })).toBe(300);
    expect(sample(m, 'modelwatch_label_delay_seconds_count', mv)).toBe(100);
    expect(sample(m, 'modelwatch_label_delay_seconds_bucket', { ...mv, le: '+Inf' })).toBe(100);
    // Labels posted within seconds of their predictions.
    expect(sample(m, 'modelwatch_label_delay_seconds_bucket', { ...mv, le: '60' })).toBe(100);
    // The estimate does not move with labels: it rests on the predictions only.
    expect(sample(m, 'modelwatch_model_estimated_window_events', mv)).toBe(400);
  });

  it('a model without a calibrated reference has label series but no estimate', async () => {
    const events = [{ id: 'x1', features: {}, prediction: 'a', score: 0.3, label: 'a' }];
    await s.api('/api/v1/predictions', { method: 'POST', json: { model: 'plain', version: 'v1', positive_class: 'a', events } });
    const m = await scrape(s);
    expect(sample(m, 'modelwatch_model_estimated_accuracy_ratio', { model: 'plain' })).toBeUndefined();
    expect(sample(m, 'modelwatch_model_label_coverage_ratio', { model: 'plain' })).toBe(1);
    expect(sample(m, 'modelwatch_label_delay_seconds_bucket', { model: 'plain', le: '1' })).toBe(1);
  });
});
