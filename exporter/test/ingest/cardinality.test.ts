import { PROCESS_METRIC_NAME } from '../../src/metrics/process-metrics.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, samples, scrape } from './helpers.js';

const LIMITS = {
  MODELWATCH_MAX_MODELS: '3',
  MODELWATCH_MAX_VERSIONS_PER_MODEL: '2',
  MODELWATCH_MAX_FEATURES_PER_MODEL: '4',
  MODELWATCH_MAX_CATEGORIES_PER_FEATURE: '3',
  MODELWATCH_MAX_CLASSES_PER_MODEL: '3',
  MODELWATCH_MAX_KPIS_PER_MODEL: '2',
  MODELWATCH_MAX_ERROR_REASONS_PER_MODEL: '2',
  MODELWATCH_MAX_LABEL_VALUE_LENGTH: '32',
};

/** Distinct `name{labels}` series of the monitoring families, excluding process metrics. */
function monitoringSeries(series: Map<string, number>): string[] {
  return [...series.keys()].filter((k) => k.startsWith('modelwatch_') && !PROCESS_METRIC_NAME.test(k));
}

describe('cardinality bounds', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(LIMITS);
  });
  afterAll(async () => {
    await s.close();
  });

  async function flood(round: number): Promise<void> {
    for (let m = 0; m < 6; m++) {
      const model = `model-${m}`;
      for (let v = 0; v < 4; v++) {
        const version = `r${round}-v${v}`;
        const ref = await s.api(`/api/v1/models/${model}/versions/${version}/reference`, {
          method: 'PUT',
          json: {
            features: Object.fromEntries(
              Array.from({ length: 7 }, (_, f) => [`f${round}_${f}`, f % 2 ? ['a', 'b', 'c', 'd', 'e'] : [1, 2, 3, 4, 5]]),
            ),
          },
        });
        expect([200, 422]).toContain(ref.status);
        const events = Array.from({ length: 30 }, (_, i) => ({
          id: `${round}-${v}-${i}`,
          features: { [`f${round}_0`]: i, [`f${round}_1`]: `cat-${round}-${i}`, [`unknown_${round}_${i}`]: 1 },
          prediction: `class-${round}-${i}`,
          label: `class-${round}-${i + 1}`,
          ...(i % 3 === 0 ? { error: `reason-${round}-${i}` } : {}),
        }));
        const res = await s.api('/api/v1/predictions', { method: 'POST', json: { model, version, events } });
        expect(res.status).toBe(200);
      }
      const kpis = Object.fromEntries(Array.from({ length: 5 }, (_, k) => [`kpi-${round}-${k}`, k]));
      const kres = await s.api('/api/v1/kpis', { method: 'POST', json: { model, kpis } });
      expect([200, 404]).toContain(kres.status);
    }
  }

  it('keeps the series count bounded however many distinct names clients send', async () => {
    await flood(0);
    const first = await scrape(s);
    const count1 = monitoringSeries(first).length;
    await flood(1);
    await flood(2);
    const later = await scrape(s);
    const count2 = monitoringSeries(later).length;
    // New names in later rounds only fold or drop: the series count cannot grow with them.
    expect(count2).toBeLessThanOrEqual(count1);

    const models = new Set(samples(later, 'modelwatch_predictions_total').map((x) => /model="([^"]+)"/.exec(x.key)![1]));
    expect(models.size).toBe(3);
    for (const model of models) {
      const versions = samples(later, 'modelwatch_predictions_total', { model }).map((x) => /version="([^"]+)"/.exec(x.key)![1]);
      expect(versions.length).toBeLessThanOrEqual(3); // 2 tracked + __other__
      const classes = new Set(samples(later, 'modelwatch_model_precision_ratio', { model }).map((x) => /class="([^"]+)"/.exec(x.key)![1]));
      expect(classes.size).toBeLessThanOrEqual(3 + 1); // 3 classes, __other__ (averages are their own series)
      const features = new Set(
        samples(later, 'modelwatch_feature_missing_ratio', { model }).map((x) => /feature="([^"]+)"/.exec(x.key)![1]),
      );
      expect(features.size).toBeLessThanOrEqual(2 * 4);
      expect(samples(later, 'modelwatch_business_kpi', { model }).length).toBeLessThanOrEqual(2);
      const reasons = new Set(
        samples(later, 'modelwatch_prediction_errors_total', { model }).map((x) => /reason="([^"]+)"/.exec(x.key)![1]),
      );
      expect(reasons.size).toBeLessThanOrEqual(3);
    }
    // Everything that was cut is counted.
    for (const reason of ['model_limit', 'version_folded', 'class_folded', 'kpi_limit', 'feature_limit', 'error_reason_folded']) {
      expect(sample(later, 'modelwatch_dropped_total', { reason })).toBeGreaterThan(0);
    }
  });

  it('refuses label values that are too long or contain control characters', async () => {
    // Names follow the one name rule (src/names.ts, at most 128 characters, as the registry's);
    // MAX_LABEL_VALUE_LENGTH bounds error reasons and class names only (issue 10 "two name rules").
    const long = 'x'.repeat(129);
    const r1 = await s.api('/api/v1/predictions', {
      method: 'POST',
      json: { model: long, version: 'v', events: [{ id: 1, features: {}, prediction: 'a' }] },
    });
    expect(r1.status).toBe(400);
    const r2 = await s.api('/api/v1/predictions', {
      method: 'POST',
      json: { model: 'model-0', version: 'v\n1', events: [{ id: 1, features: {}, prediction: 'a' }] },
    });
    expect(r2.status).toBe(400);
    const r3 = await s.api('/api/v1/kpis', { method: 'POST', json: { model: 'model-0', kpis: { [long]: 1 } } });
    expect(r3.status).toBe(400);
  });
});
