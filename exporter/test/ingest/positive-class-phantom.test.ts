/**
 * Issue 11 §2: a positive class that is not one of the model's classes is never scored against
 * (a phantom class), whichever source states it — the request, the model registry, an earlier
 * batch of another label form, or an inference from a lone "1" — and a change of the registry's
 * class applies at once. Right values: scripts/reference/generate.py (sklearn), classes_cases.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateReferenceData, type ReferenceData } from '../stats/reference-data.js';
import { detailsOf, sample, useIngestServer } from './helpers.js';

describe('a positive class must be one of the model’s two classes', () => {
  const fx = useIngestServer({ operator: true });
  const { post } = fx;
  let ref: ReferenceData['classes'];
  beforeAll(() => {
    ref = generateReferenceData().classes;
  });
  const events = (prefix: string) => ref.yesNo.events.map((e, i) => ({ id: `${prefix}${i}`, features: {}, ...e }));
  const problemsOf = async (res: Response) => (await detailsOf(res)) ?? [];
  /** The batch is a 400 naming only positive_class, with a message matching `message`, and changes nothing. */
  const refused = async (model: string, body: unknown, message: RegExp) => {
    const before = sample(await fx.scrape(), 'modelwatch_predictions_total', { model });
    const res = await post('/api/v1/predictions', body);
    expect(res.status).toBe(400);
    const problems = await problemsOf(res);
    expect(problems.map((d) => d.path)).toEqual(['positive_class']);
    expect(problems[0]!.message).toMatch(message);
    expect(sample(await fx.scrape(), 'modelwatch_predictions_total', { model })).toBe(before);
  };

  it("a request's positive_class that is neither label is a 400 (it was 200 with AUC 0.4167 and log loss 18.60); the right class gives sklearn's values", async () => {
    await refused(
      'p7b',
      { model: 'p7b', version: 'v1', positive_class: 'maybe', events: events('a') },
      /binary scores need two classes, one of them positive_class.*"maybe" \(this request\)/,
    );
    expect((await post('/api/v1/predictions', { model: 'p7b', version: 'v1', positive_class: 'yes', events: events('a') })).status).toBe(
      200,
    );
    const m = await fx.scrape();
    expect(Math.abs(sample(m, 'modelwatch_model_roc_auc', { model: 'p7b' })! - ref.yesNo.rocAuc)).toBeLessThanOrEqual(0.005);
    expect(sample(m, 'modelwatch_model_log_loss', { model: 'p7b' })).toBeCloseTo(ref.yesNo.logLoss, 9);
  });

  it('a registry class that matches no class of the batch or of the model is a 400 saying it came from the registry (it was 200, log loss 12.63)', async () => {
    expect(
      (await fx.s.api('/api/v1/models', { method: 'POST', json: { name: 'regtypo', positive_class: 'Yes' }, token: fx.operator })).status,
    ).toBe(201);
    await refused('regtypo', { model: 'regtypo', version: 'v1', events: events('b') }, /"Yes" \(the model registry\).*"yes", "no"/);
    // The model's classes accumulate: after unscored yes/no predictions, a scored batch holding
    // only "yes" cannot make "Yes" the other class either.
    const unscored = events('u').map(({ score: _score, ...e }) => e);
    expect((await post('/api/v1/predictions', { model: 'regtypo', version: 'v1', events: unscored })).status).toBe(200);
    const onlyYes = events('c').filter((e) => e.prediction === 'yes' && e.label === 'yes');
    await refused('regtypo', { model: 'regtypo', version: 'v1', events: onlyYes }, /"Yes" \(the model registry\).*model's classes/);
    // Corrected in the registry, the same batch is scored as sklearn does.
    const put = await fx.s.api('/api/v1/models/regtypo/positive-class', {
      method: 'PUT',
      json: { positive_class: 'yes' },
      token: fx.operator,
    });
    expect(put.status).toBe(200);
    expect((await post('/api/v1/predictions', { model: 'regtypo', version: 'v1', events: events('b') })).status).toBe(200);
    expect(sample(await fx.scrape(), 'modelwatch_model_log_loss', { model: 'regtypo' })).toBeCloseTo(ref.yesNo.logLoss, 9);
  });

  it('a registry typo refuses no unscored batch, the second no more than the first (the second was a 400 calling yes/no three classes), and the first scored one names it', async () => {
    expect(
      (await fx.s.api('/api/v1/models', { method: 'POST', json: { name: 'regtypo2', positive_class: 'Yes' }, token: fx.operator })).status,
    ).toBe(201);
    const unscored = (prefix: string) => events(prefix).map(({ score: _score, ...e }) => e);
    for (const prefix of ['u', 'v', 'w'])
      expect((await post('/api/v1/predictions', { model: 'regtypo2', version: 'v1', events: unscored(prefix) })).status).toBe(200);
    expect((await post('/api/v1/feedback', { model: 'regtypo2', events: [{ id: 'x0', label: 'yes' }] })).status).toBe(200);
    await refused(
      'regtypo2',
      { model: 'regtypo2', version: 'v1', events: events('b') },
      /"Yes" \(the model registry\) but the batch's classes are "yes", "no"/,
    );
  });

  it('numeric 1/0 in v1 then yes/no in v2 is a 400 naming positive_class (v2 was 200: AUC 1.0 on tied scores, log loss −ln 0.3)', async () => {
    const numeric = events('n').map((e) => ({ ...e, prediction: e.prediction === 'yes' ? 1 : 0, label: e.label === 'yes' ? 1 : 0 }));
    expect((await post('/api/v1/predictions', { model: 'mixed', version: 'v1', events: numeric })).status).toBe(200);
    const tied = events('t').map((e) => ({ ...e, score: 0.7 }));
    await refused(
      'mixed',
      { model: 'mixed', version: 'v2', events: tied },
      /positive class is "1" \(stated or inferred earlier\).*"yes", "no"/,
    );
  });

  it('a positive class inferred from a lone "1" does not outlive a class outside {0, 1}: the batch and the label are 400s (log loss was 36.04)', async () => {
    expect(
      (
        await post('/api/v1/predictions', {
          model: 'lone1',
          version: 'v1',
          events: [{ id: 'l1', features: {}, prediction: '1', score: 0.8 }],
        })
      ).status,
    ).toBe(200);
    await refused(
      'lone1',
      { model: 'lone1', version: 'v1', events: [{ id: 'l2', features: {}, prediction: 'no', score: 0.3 }] },
      /"1" was inferred from its classes "1"; with "no"/,
    );
    const label = await post('/api/v1/feedback', { model: 'lone1', events: [{ id: 'l1', label: 'yes' }] });
    expect(label.status).toBe(400);
    expect((await problemsOf(label)).map((d) => d.path)).toEqual(['events[0].label']);
    expect(sample(await fx.scrape(), 'modelwatch_model_log_loss', { model: 'lone1' })).toBeUndefined();
    // Labels of the same form join as before; restating the class in the request is allowed.
    expect((await post('/api/v1/feedback', { model: 'lone1', events: [{ id: 'l1', label: '1' }] })).status).toBe(200);
    expect(sample(await fx.scrape(), 'modelwatch_model_log_loss', { model: 'lone1' })).toBeCloseTo(-Math.log(0.8), 12);
  });

  it("a change of the registry's class applies at once: both endpoints and the reference upload take it, pending predictions are scored with it (it was a 400 for every scored batch)", async () => {
    expect(
      (await fx.s.api('/api/v1/models', { method: 'POST', json: { name: 'reg_pc', positive_class: 'yes' }, token: fx.operator })).status,
    ).toBe(201);
    expect((await post('/api/v1/predictions', { model: 'reg_pc', version: 'v1', events: events('r') })).status).toBe(200);
    // Waiting for its label across the change: its score is P("yes") = 0.9.
    const pending = { model: 'reg_pc', version: 'v1', events: [{ id: 'pending', features: {}, prediction: 'yes', score: 0.9 }] };
    expect((await post('/api/v1/predictions', pending)).status).toBe(200);
    const put = await fx.s.api('/api/v1/models/reg_pc/positive-class', {
      method: 'PUT',
      json: { positive_class: 'no' },
      token: fx.operator,
    });
    expect(put.status).toBe(200);
    // From now on a score is P("no"): the same six events, scored that way, with and without restating it.
    const asNo = (prefix: string) => events(prefix).map((e) => ({ ...e, score: 1 - e.score }));
    expect((await post('/api/v1/predictions', { model: 'reg_pc', version: 'v1', events: asNo('s').slice(0, 3) })).status).toBe(200);
    expect(
      (await post('/api/v1/predictions', { model: 'reg_pc', version: 'v1', positive_class: 'no', events: asNo('s').slice(3) })).status,
    ).toBe(200);
    expect((await post('/api/v1/feedback', { model: 'reg_pc', events: [{ id: 'pending', label: 'yes' }] })).status).toBe(200);
    const m = await fx.scrape();
    expect(sample(m, 'modelwatch_model_log_loss', { model: 'reg_pc' })).toBeCloseTo(ref.registryChange.logLoss, 9);
    expect(Math.abs(sample(m, 'modelwatch_model_roc_auc', { model: 'reg_pc' })! - ref.registryChange.rocAuc)).toBeLessThanOrEqual(0.005);
    // The reference upload restating the new class is taken; the old one is now the conflict.
    const reference = (positive: string) =>
      fx.s.api('/api/v1/models/reg_pc/versions/v1/reference', {
        method: 'PUT',
        json: { features: { x: [1, 2, 3] }, positive_class: positive },
        token: fx.ingest,
      });
    expect((await reference('no')).status).toBe(200);
    const old = await reference('yes');
    expect(old.status).toBe(400);
    expect((await problemsOf(old))[0]!.message).toMatch(/"yes" \(this reference\).*"no" \(the model registry\)/);
  });
});
