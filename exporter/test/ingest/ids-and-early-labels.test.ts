/**
 * Issue 11 §7 over HTTP (cases 9 and 10): a prediction id counts once — a retry is a no-op, a
 * repeat with another prediction keeps the first — and a label that arrives before its
 * prediction is held (bounded, for MODELWATCH_HELD_LABEL_SECONDS) and joins when it comes. Each
 * response says what happened; /metrics counts it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, scrape, tokenFor } from './helpers.js';

describe('prediction ids and labels that come first', () => {
  let s: TestServer;
  let ingest: string;
  beforeAll(async () => {
    s = await startTestServer({ MODELWATCH_HELD_LABEL_SECONDS: '2', MODELWATCH_HELD_LABELS_PER_MODEL: '3' });
    ingest = await tokenFor(s, 'ingest');
  });
  afterAll(async () => {
    await s.close();
  });
  const post = async (path: string, json: unknown) => {
    const res = await s.api(path, { method: 'POST', json, token: ingest });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };
  const predict = (model: string, events: unknown[]) => post('/api/v1/predictions', { model, version: 'v1', events });

  it('case 9: the same unlabeled event posted twice counts once; the retry is reported as a duplicate', async () => {
    const event = { id: 'r1', features: {}, prediction: 'a' };
    expect(await predict('retry', [event])).toEqual({ accepted: 1, dropped: {} });
    expect(await predict('retry', [event])).toEqual({ accepted: 0, dropped: { duplicate_id: 1 }, duplicate_ids: ['r1'] });
    const m = await scrape(s);
    expect(sample(m, 'modelwatch_predictions_total', { model: 'retry' })).toBe(1);
    expect(sample(m, 'modelwatch_model_window_predictions', { model: 'retry' })).toBe(1);
    expect(sample(m, 'modelwatch_dropped_total', { reason: 'duplicate_id' })).toBeGreaterThanOrEqual(1);
  });

  it('case 9: one id twice in a batch with different predictions: the first counts, the label joins it, the conflict is reported', async () => {
    const answer = await predict('conflict', [
      { id: 'd1', features: {}, prediction: 'a' },
      { id: 'd1', features: {}, prediction: 'b' },
    ]);
    expect(answer).toEqual({ accepted: 1, dropped: { duplicate_id_conflict: 1 }, duplicate_ids: ['d1'] });
    expect(await post('/api/v1/feedback', { model: 'conflict', events: [{ id: 'd1', label: 'a' }] })).toEqual({
      accepted: 1,
      joined: 1,
      held: 0,
      dropped: {},
    });
    const m = await scrape(s);
    expect(sample(m, 'modelwatch_predictions_total', { model: 'conflict' })).toBe(1);
    expect(sample(m, 'modelwatch_correct_predictions_total', { model: 'conflict' })).toBe(1);
    expect(sample(m, 'modelwatch_dropped_total', { reason: 'duplicate_id_conflict' })).toBe(1);
  });

  it('a retry that brings the label adds only the label; a repeat after the label joined is a duplicate', async () => {
    const event = { id: 'k1', features: {}, prediction: 'a' };
    await predict('late', [event]);
    expect(await predict('late', [{ ...event, label: 'a' }])).toMatchObject({ accepted: 0, duplicate_ids: ['k1'] });
    expect(await predict('late', [{ ...event, label: 'b' }])).toMatchObject({ accepted: 0, dropped: { duplicate_id: 1 } });
    expect(
      await predict('late', [
        { id: 'k2', features: {}, prediction: 'a', label: 'b' },
        { id: 'k2', features: {}, prediction: 'a' },
      ]),
    ).toEqual({
      accepted: 1,
      dropped: { duplicate_id: 1 },
      duplicate_ids: ['k2'],
    });
    const fb = await post('/api/v1/feedback', { model: 'late', events: [{ id: 'k1', label: 'b' }] });
    expect(fb).toEqual({ accepted: 0, joined: 0, held: 0, dropped: { duplicate_label: 1 } });
    const m = await scrape(s);
    expect(sample(m, 'modelwatch_predictions_total', { model: 'late' })).toBe(2);
    expect(sample(m, 'modelwatch_labeled_predictions_total', { model: 'late' })).toBe(2);
    expect(sample(m, 'modelwatch_correct_predictions_total', { model: 'late' })).toBe(1);
  });

  it('case 10: labels first are held, reported, and join when their predictions come', async () => {
    await predict('first', [{ id: 'seed', features: {}, prediction: 'a' }]);
    const fb = await post('/api/v1/feedback', {
      model: 'first',
      events: [
        { id: 'e1', label: 'a' },
        { id: 'e2', label: 'a' },
        { id: 'e2', label: 'b' },
      ],
    });
    expect(fb).toEqual({ accepted: 2, joined: 0, held: 2, dropped: { duplicate_label: 1 } });
    let m = await scrape(s);
    expect(sample(m, 'modelwatch_labels_held', { model: 'first' })).toBe(2);
    expect(
      await predict('first', [
        { id: 'e1', features: {}, prediction: 'a' },
        { id: 'e2', features: {}, prediction: 'b' },
      ]),
    ).toEqual({ accepted: 2, dropped: {} });
    m = await scrape(s);
    expect(sample(m, 'modelwatch_labels_held', { model: 'first' })).toBeUndefined();
    expect(sample(m, 'modelwatch_feedback_total', { model: 'first', outcome: 'joined' })).toBe(2);
    expect(sample(m, 'modelwatch_correct_predictions_total', { model: 'first' })).toBe(1);
    expect(sample(m, 'modelwatch_model_accuracy_ratio', { model: 'first' })).toBe(0.5);
    expect(sample(m, 'modelwatch_feedback_total', { model: 'first', outcome: 'unknown_prediction' })).toBeUndefined();
  });

  it('held labels are bounded per model (oldest dropped) and expire after MODELWATCH_HELD_LABEL_SECONDS, counted as unknown', async () => {
    await predict('bounded', [{ id: 'seed', features: {}, prediction: 'a' }]);
    const labels = ['h1', 'h2', 'h3', 'h4', 'h5'].map((id) => ({ id, label: 'a' }));
    expect(await post('/api/v1/feedback', { model: 'bounded', events: labels })).toEqual({
      accepted: 5,
      joined: 0,
      held: 5,
      dropped: { label_evicted: 2 },
    });
    let m = await scrape(s);
    expect(sample(m, 'modelwatch_labels_held', { model: 'bounded' })).toBe(3);
    expect(sample(m, 'modelwatch_feedback_total', { model: 'bounded', outcome: 'unknown_prediction' })).toBe(2);
    // The window clock drops what expired, with no further traffic for the model.
    await new Promise((r) => setTimeout(r, 3200));
    m = await scrape(s);
    expect(sample(m, 'modelwatch_labels_held', { model: 'bounded' })).toBeUndefined();
    expect(sample(m, 'modelwatch_feedback_total', { model: 'bounded', outcome: 'unknown_prediction' })).toBe(5);
    expect(sample(m, 'modelwatch_dropped_total', { reason: 'label_expired' })).toBe(3);
    // h5's prediction then finds no label.
    expect(await predict('bounded', [{ id: 'h5', features: {}, prediction: 'a' }])).toEqual({ accepted: 1, dropped: {} });
    m = await scrape(s);
    expect(sample(m, 'modelwatch_labeled_predictions_total', { model: 'bounded' })).toBe(0);
  });
});
