import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESS_METRIC_NAME } from '../../src/metrics/process-metrics.js';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { parseExposition } from '../ingest/helpers.js';

/**
 * /metrics copies the monitoring families from cached per-version bytes into a text-format or
 * an OpenMetrics body, whose headers differ. Both must carry the same series, non-ASCII label
 * values included (byte offsets differ from character offsets there).
 */
describe('monitoring exposition: the text format and OpenMetrics agree', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it('serves the same monitoring series both ways, unchanged and after re-rendering', async () => {
    for (const model of ['café-model', 'plain-model']) {
      const ref = await s.api(`/api/v1/models/${encodeURIComponent(model)}/versions/v1/reference`, {
        method: 'PUT',
        json: { features: { x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], pays: ['fr', 'de', 'ñ', 'fr'] } },
      });
      expect(ref.status).toBe(200);
      const res = await s.api('/api/v1/predictions', {
        method: 'POST',
        json: {
          model,
          version: 'v1',
          // The score is P("oui"): yes/no class names need their positive class stated (issue 11 §2).
          positive_class: 'oui',
          events: [
            { id: 'a', features: { x: 3, pays: 'ñ' }, prediction: 'oui', score: 0.8, label: 'oui' },
            { id: 'b', features: { x: 30, pays: 'ü' }, prediction: 'non', score: 0.2, label: 'oui' },
            { id: 'c', features: { x: null, pays: 'fr' }, prediction: 'non', score: 0.1, label: 'non' },
          ],
        },
      });
      expect(res.status).toBe(200);
    }
    const monitoring = (text: string) => {
      const series = parseExposition(text);
      return new Map(
        [...series].filter(([k]) => k.startsWith('modelwatch_') && !PROCESS_METRIC_NAME.test(k) && !k.startsWith('modelwatch_http_')),
      );
    };
    for (let round = 0; round < 3; round++) {
      if (round === 2) {
        // Re-rendered into the storage of the version's previous rendering: must not keep stale bytes.
        const more = await s.api('/api/v1/predictions', {
          method: 'POST',
          json: {
            model: 'café-model',
            version: 'v1',
            events: [{ id: 'd', features: { x: 4, pays: 'de' }, prediction: 'non', score: 0.3 }],
          },
        });
        expect(more.status).toBe(200);
      }
      const served = monitoring(await (await s.api('/metrics', { token: null })).text());
      const openMetrics = await s.api('/metrics', { token: null, headers: { Accept: 'application/openmetrics-text; version=1.0.0' } });
      expect(openMetrics.headers.get('content-type')).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
      const registry = monitoring(await openMetrics.text());
      expect(served.size).toBeGreaterThan(50);
      expect(served.get('modelwatch_feature_js_distance{model="café-model",version="v1",feature="pays"}')).toBeGreaterThan(0);
      expect(served.get('modelwatch_model_accuracy_ratio{model="café-model",version="v1"}')).toBeCloseTo(2 / 3, 12);
      expect(served.get('modelwatch_predictions_total{model="café-model",version="v1"}')).toBe(round === 2 ? 4 : 3);
      expect([...registry.keys()].sort()).toEqual([...served.keys()].sort());
      for (const [k, v] of served) expect(registry.get(k), k).toBe(v);
    }
  });
});
