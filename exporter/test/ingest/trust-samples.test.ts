/**
 * Issue 11, case 8: two labelled events must not recommend retraining, and the accuracy they
 * give comes with its Wilson interval; past the minimum sample the same condition counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/stats/index.js';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, scrape, tokenFor } from './helpers.js';

describe('minimum sample sizes and the accuracy interval', () => {
  let s: TestServer;
  let ingest: string;
  beforeAll(async () => {
    s = await startTestServer({ MODELWATCH_RETRAIN_MIN_LABELED: '10' });
    ingest = await tokenFor(s, 'ingest');
  });
  afterAll(async () => {
    await s.close();
  });
  const post = (json: unknown) => s.api('/api/v1/predictions', { method: 'POST', json, token: ingest });
  const wrong = (id: string) => [
    { id: `${id}a`, features: {}, prediction: '1', score: 0.9, label: '0' },
    { id: `${id}b`, features: {}, prediction: '0', score: 0.2, label: '1' },
  ];

  it('case 8: two wrong labelled events give accuracy 0 with a [0, 0.66] interval and no retraining recommendation', async () => {
    expect((await post({ model: 'tiny', version: 'v1', events: wrong('e') })).status).toBe(200);
    const m = await scrape(s);
    expect(sample(m, 'modelwatch_model_accuracy_ratio', { model: 'tiny' })).toBe(0);
    const w = wilsonInterval(0, 2)!;
    expect(sample(m, 'modelwatch_model_accuracy_lower_ratio', { model: 'tiny' })).toBe(0);
    expect(sample(m, 'modelwatch_model_accuracy_upper_ratio', { model: 'tiny' })).toBeCloseTo(w.hi, 12);
    expect(w.hi).toBeGreaterThan(0.6);
    expect(sample(m, 'modelwatch_retrain_recommended', { model: 'tiny' })).toBe(0);
  });

  it('past MODELWATCH_RETRAIN_MIN_LABELED the same accuracy recommends retraining', async () => {
    for (let i = 0; i < 5; i++) expect((await post({ model: 'tiny', version: 'v1', events: wrong(`r${i}`) })).status).toBe(200);
    const m = await scrape(s);
    expect(sample(m, 'modelwatch_model_window_labeled', { model: 'tiny' })).toBe(12);
    expect(sample(m, 'modelwatch_retrain_recommended', { model: 'tiny' })).toBe(1);
  });
});
