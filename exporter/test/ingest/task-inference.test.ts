/**
 * The task (classification or regression) is set by a model's first batch that decides it. A
 * first batch of integer 0/1 predictions and labels without a score reads as regression, and
 * later scored batches are refused: the 400 says why and how to state the task; stated with
 * `task` in the first batch, the same events make a classifier that takes scores later.
 */
import { describe, expect, it } from 'vitest';
import { detailsOf, sample, useIngestServer } from './helpers.js';

describe('the task of a model', () => {
  const fx = useIngestServer();
  const post = (json: unknown) => fx.post('/api/v1/predictions', json);
  const unscored = (id: string) => [
    { id: `${id}0`, prediction: 1, label: 1 },
    { id: `${id}1`, prediction: 0, label: 1 },
  ];
  const scored = [{ id: 's0', prediction: 1, score: 0.8, label: 1 }];

  it('inferred as regression from unscored 0/1: a scored batch gets a 400 that says how to state the task', async () => {
    expect((await post({ model: 'binary', version: 'v1', events: unscored('a') })).status).toBe(200);
    const res = await post({ model: 'binary', version: 'v1', events: scored });
    expect(res.status).toBe(400);
    const details = (await detailsOf(res))!;
    expect(details.map((d) => d.path)).toEqual(['events[0].score']);
    expect(details[0].message).toMatch(/regression model/);
    expect(details[0].message).toMatch(/numeric predictions without a score/);
    expect(details[0].message).toMatch(/"task": "classification"/);
  });

  it('stated with task: classification in the first batch, the same events make a classifier', async () => {
    expect((await post({ model: 'stated', version: 'v1', task: 'classification', events: unscored('a') })).status).toBe(200);
    expect((await post({ model: 'stated', version: 'v1', events: scored })).status).toBe(200);
  });
});

/**
 * A label held for its prediction and a different label carried inline by that prediction: the
 * inline one is the prediction's label (it came with it), the held one is dropped as a duplicate
 * label — reported in the predictions response and counted as feedback outcome "duplicate".
 */
describe('a held label and an inline label that disagree', () => {
  const fx = useIngestServer();

  it('keeps the inline label and reports the held one as duplicate_label', async () => {
    const first = { model: 'm', version: 'v1', events: [{ id: 'p0', prediction: 'yes', label: 'yes' }] };
    expect((await fx.post('/api/v1/predictions', first)).status).toBe(200);
    const fb = await fx.post('/api/v1/feedback', { model: 'm', events: [{ id: 'p1', label: 'no' }] });
    expect(await fb.json()).toMatchObject({ held: 1 });
    const res = await fx.predictions('m', [{ id: 'p1', prediction: 'yes', label: 'yes' }]);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 1, dropped: { duplicate_label: 1 } });
    const m = await fx.scrape();
    expect(sample(m, 'modelwatch_model_accuracy_ratio', { model: 'm' })).toBe(1);
    expect(sample(m, 'modelwatch_labels_held', { model: 'm' }) ?? 0).toBe(0);
    expect(sample(m, 'modelwatch_feedback_total', { model: 'm', outcome: 'duplicate' })).toBe(1);
  });
});
