import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';

/**
 * Every number a client can send, given as 1e400 or -1e400 in the JSON text (float64 overflows
 * them to ±Infinity as they are parsed): a 400 whose details name the field and the rule it
 * breaks — the magnitude bound for what enters window sums, the range for scores, latencies,
 * timestamps and ids — never zod's bare "Invalid input" or "received Infinity"; and nothing is
 * applied.
 */

const MAGNITUDE = 'must be a finite number with magnitude at most 1e+100';
const PROBABILITY = 'must be a probability: a finite number from 0 to 1';
const FINITE = 'must be a finite number';

interface Case {
  name: string;
  method: 'POST' | 'PUT';
  path: string;
  /** The body, with the marker "BIG" where the huge number goes. */
  body: unknown;
  field: string;
  message: string;
}

const event = (extra: Record<string, unknown>) => ({ id: 'e1', features: { amount: 1 }, prediction: 'ok', ...extra });
const predictions = (extra: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
  model: 'nums',
  version: 'v1',
  ...top,
  events: [event({}), event({ id: 'e2', ...extra })],
});

const CASES: Case[] = [
  {
    name: 'a numeric feature',
    method: 'POST',
    path: '/api/v1/predictions',
    body: predictions({ features: { amount: 'BIG' } }),
    field: 'events[1].features.amount',
    message: MAGNITUDE,
  },
  {
    name: 'a prediction',
    method: 'POST',
    path: '/api/v1/predictions',
    body: predictions({ prediction: 'BIG' }),
    field: 'events[1].prediction',
    message: MAGNITUDE,
  },
  {
    name: 'a label with its prediction',
    method: 'POST',
    path: '/api/v1/predictions',
    body: predictions({ label: 'BIG' }),
    field: 'events[1].label',
    message: MAGNITUDE,
  },
  {
    name: 'a score',
    method: 'POST',
    path: '/api/v1/predictions',
    body: predictions({ score: 'BIG' }),
    field: 'events[1].score',
    message: PROBABILITY,
  },
  {
    name: 'a class score',
    method: 'POST',
    path: '/api/v1/predictions',
    body: predictions({ scores: { ok: 'BIG', no: 0 } }),
    field: 'events[1].scores.ok',
    message: PROBABILITY,
  },
  {
    name: 'a latency',
    method: 'POST',
    path: '/api/v1/predictions',
    body: predictions({ latency_ms: 'BIG' }),
    field: 'events[1].latency_ms',
    message: 'must be a finite number of milliseconds from 0 to 86400000',
  },
  {
    name: 'a timestamp',
    method: 'POST',
    path: '/api/v1/predictions',
    body: predictions({ timestamp: 'BIG' }),
    field: 'events[1].timestamp',
    message: 'must be Unix time in seconds, a finite number from 0 to 1e11',
  },
  {
    name: 'a prediction id',
    method: 'POST',
    path: '/api/v1/predictions',
    body: predictions({ id: 'BIG' }),
    field: 'events[1].id',
    message: 'must be an integer of magnitude at most 9007199254740991',
  },
  {
    name: 'a positive class',
    method: 'POST',
    path: '/api/v1/predictions',
    body: predictions({}, { positive_class: 'BIG' }),
    field: 'positive_class',
    message: MAGNITUDE,
  },
  {
    name: 'a feedback label',
    method: 'POST',
    path: '/api/v1/feedback',
    body: { model: 'nums', events: [{ id: 'e1', label: 'BIG' }] },
    field: 'events[0].label',
    message: MAGNITUDE,
  },
  {
    name: 'a feedback id',
    method: 'POST',
    path: '/api/v1/feedback',
    body: { model: 'nums', events: [{ id: 'BIG', label: 1 }] },
    field: 'events[0].id',
    message: 'must be an integer of magnitude at most 9007199254740991',
  },
  {
    name: 'a KPI',
    method: 'POST',
    path: '/api/v1/kpis',
    body: { model: 'nums', kpis: { revenue: 'BIG' } },
    field: 'kpis.revenue',
    message: MAGNITUDE,
  },
  {
    name: 'a reference feature value',
    method: 'PUT',
    path: '/api/v1/models/nums/versions/v2/reference',
    body: { features: { amount: [1, 2, 'BIG'] } },
    field: 'features.amount[2]',
    message: MAGNITUDE,
  },
  {
    name: 'a reference prediction',
    method: 'PUT',
    path: '/api/v1/models/nums/versions/v2/reference',
    body: { features: { amount: [1, 2] }, predictions: [1, 'BIG'] },
    field: 'predictions[1]',
    message: MAGNITUDE,
  },
  {
    name: 'a reference label',
    method: 'PUT',
    path: '/api/v1/models/nums/versions/v2/reference',
    body: { features: { amount: [1, 2] }, labels: ['BIG', 1] },
    field: 'labels[0]',
    message: MAGNITUDE,
  },
  {
    name: 'a reference score',
    method: 'PUT',
    path: '/api/v1/models/nums/versions/v2/reference',
    body: { features: { amount: [1, 2] }, score: [0.5, 'BIG'] },
    field: 'score[1]',
    message: PROBABILITY,
  },
  {
    name: 'a reference class score',
    method: 'PUT',
    path: '/api/v1/models/nums/versions/v2/reference',
    body: { features: { amount: [1] }, scores: [{ a: 'BIG' }] },
    field: 'scores[0].a',
    message: PROBABILITY,
  },
  {
    name: 'a reference positive class',
    method: 'PUT',
    path: '/api/v1/models/nums/versions/v2/reference',
    body: { features: { amount: [1] }, positive_class: 'BIG' },
    field: 'positive_class',
    message: MAGNITUDE,
  },
  {
    name: 'a registered model positive class',
    method: 'POST',
    path: '/api/v1/models',
    body: { name: 'numsreg', positive_class: 'BIG' },
    field: 'positive_class',
    message: MAGNITUDE,
  },
  {
    name: 'a positive class set later',
    method: 'PUT',
    path: '/api/v1/models/nums/positive-class',
    body: { positive_class: 'BIG' },
    field: 'positive_class',
    message: MAGNITUDE,
  },
  {
    name: 'a version metric',
    method: 'POST',
    path: '/api/v1/models/nums/versions',
    body: { version: 'r1', metrics: { auc: 'BIG' } },
    field: 'metrics.auc',
    message: FINITE,
  },
  {
    name: 'a version accuracy',
    method: 'POST',
    path: '/api/v1/models/nums/versions',
    body: { version: 'r1', metrics: { accuracy: 'BIG' } },
    field: 'metrics.accuracy',
    message: PROBABILITY,
  },
  {
    name: 'a hyperparameter',
    method: 'POST',
    path: '/api/v1/models/nums/versions',
    body: { version: 'r1', lineage: { hyperparameters: { lr: 'BIG' } } },
    field: 'lineage.hyperparameters.lr',
    message: FINITE,
  },
  {
    name: 'a gate',
    method: 'PUT',
    path: '/api/v1/models/nums/gates',
    body: { production: { min_accuracy: 'BIG' } },
    field: 'production.min_accuracy',
    message: FINITE,
  },
];

describe('a number beyond float64 in any field a client sends', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    expect((await s.api('/api/v1/models', { method: 'POST', json: { name: 'nums' } })).status).toBe(201);
    expect((await s.api('/api/v1/predictions', { method: 'POST', json: predictions({}) })).status).toBe(200);
  });
  afterAll(async () => {
    await s.close();
  });

  for (const c of CASES)
    for (const big of ['1e400', '-1e400'])
      it(`${c.name} (${big}): 400 naming ${c.field} and its rule`, async () => {
        const before = await (await s.api('/metrics')).text();
        const raw = JSON.stringify(c.body).replace('"BIG"', big);
        expect(raw).toContain(big);
        const res = await s.api(c.path, { method: c.method, body: raw, headers: { 'Content-Type': 'application/json' } });
        const text = await res.text();
        expect(res.status, text).toBe(400);
        const body = JSON.parse(text) as { error: string; details?: Array<{ path: string; message: string }> };
        expect(body.details).toContainEqual({ path: c.field, message: c.message });
        expect(body.error).toContain(`${c.field}: ${c.message}`);
        expect(text).not.toMatch(/Invalid input|received -?Infinity|Infinity/);
        const after = await (await s.api('/metrics')).text();
        const monitoring = (m: string) =>
          m.split('\n').filter((l) => /^modelwatch_(predictions|labels|kpi|reference|ingested|registry)/.test(l));
        expect(monitoring(after)).toEqual(monitoring(before));
      });
});
