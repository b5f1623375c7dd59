/**
 * A model with a positive class has at most two classes (README, "Binary scores"): binary score
 * rows, a positive_class, a third class from scores, feedback or a reference upload each get a
 * 400 naming the field, and nothing is applied. (Each route was a 200 with a wrong log loss:
 * 18.62 and 12.86 against sklearn's finite values.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, scrape, tokenFor } from './helpers.js';

describe('a model with a positive class has at most two classes', () => {
  let s: TestServer;
  let ingest: string;
  beforeAll(async () => {
    s = await startTestServer({});
    ingest = await tokenFor(s, 'ingest');
  });
  afterAll(async () => {
    await s.close();
  });
  const post = (path: string, json: unknown) => s.api(path, { method: 'POST', json, token: ingest });
  const rejects = async (res: Response, path: string) => {
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain(path);
  };
  const logLoss = async (model: string) => sample(await scrape(s), 'modelwatch_model_log_loss', { model, version: 'v1' });

  it('a 3-class model refuses positive_class and binary score rows; its log loss stays the first row’s', async () => {
    const first = { id: 'a', features: {}, prediction: 'a', scores: { a: 0.5, b: 0.3, c: 0.2 }, label: 'b' };
    expect((await post('/api/v1/predictions', { model: 'mix1', version: 'v1', events: [first] })).status).toBe(200);
    const before = await logLoss('mix1');
    expect(before).toBeCloseTo(-Math.log(0.3), 12);
    const binary = { id: 'b', features: {}, prediction: 'a', score: 0.6, label: 'b' };
    await rejects(
      await post('/api/v1/predictions', { model: 'mix1', version: 'v1', positive_class: 'a', events: [binary] }),
      'positive_class',
    );
    await rejects(await post('/api/v1/predictions', { model: 'mix1', version: 'v1', events: [binary] }), 'positive_class');
    expect(await logLoss('mix1')).toBe(before);
  });

  it('positive_class on a 3-class scores batch is a 400, so binary rows never follow', async () => {
    const row = { id: 'a', features: {}, prediction: 'a', scores: { a: 0.5, b: 0.3, c: 0.2 }, label: 'b' };
    await rejects(
      await post('/api/v1/predictions', { model: 'mix2', version: 'v1', positive_class: 'a', events: [row] }),
      'positive_class',
    );
    expect(await logLoss('mix2')).toBeUndefined();
  });

  it('a binary model with a positive class refuses a third class in scores and in feedback', async () => {
    const b = { model: 'mix3', version: 'v1', positive_class: 'a' };
    const ok = [
      { id: 'a', features: {}, prediction: 'a', score: 0.7, label: 'a' },
      { id: 'b', features: {}, prediction: 'b', score: 0.2 },
    ];
    expect((await post('/api/v1/predictions', { ...b, events: ok })).status).toBe(200);
    const before = await logLoss('mix3');
    const third = { id: 'c', features: {}, prediction: 'a', scores: { a: 0.5, b: 0.3, c: 0.2 }, label: 'c' };
    await rejects(await post('/api/v1/predictions', { model: 'mix3', version: 'v1', events: [third] }), 'events[0].scores');
    await rejects(await post('/api/v1/feedback', { model: 'mix3', events: [{ id: 'b', label: 'c' }] }), 'events[0].label');
    expect(await logLoss('mix3')).toBe(before);
    expect((await post('/api/v1/feedback', { model: 'mix3', events: [{ id: 'b', label: 'b' }] })).status).toBe(200);
  });

  it('a binary yes/no model refuses a multiclass reference with a third label', async () => {
    const events = [
      { id: 'a', features: {}, prediction: 'yes', score: 0.8, label: 'yes' },
      { id: 'b', features: {}, prediction: 'no', score: 0.3, label: 'no' },
    ];
    expect((await post('/api/v1/predictions', { model: 'mix4', version: 'v1', positive_class: 'yes', events })).status).toBe(200);
    const ref = await s.api('/api/v1/models/mix4/versions/v1/reference', {
      method: 'PUT',
      token: ingest,
      json: {
        features: { x: [1, 2, 3] },
        labels: ['yes', 'no', 'maybe'],
        scores: [
          { yes: 0.6, no: 0.3, maybe: 0.1 },
          { yes: 0.2, no: 0.7, maybe: 0.1 },
          { yes: 0.1, no: 0.2, maybe: 0.7 },
        ],
      },
    });
    await rejects(ref, 'scores');
  });
});
