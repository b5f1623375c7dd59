import { until } from '@modelwatch/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../ingest/helpers.js';
import { generateReferenceData, type ClassificationCase } from '../stats/reference-data.js';
import { durableSeries, kill9, labelEvents, metrics, post, processFixture, startSlowReceiver } from './process-helpers.js';

const { skipPg, pg, tempDir, start } = processFixture('modelwatch-durable-proc-');
let binary: ClassificationCase;

beforeAll(() => {
  binary = generateReferenceData().classification.find((c) => c.name === 'binary_balanced')!;
});

/** sklearn's binary_balanced events as modelwatch predictions (score = P(pos): the batch or the reference states positive_class). */
function predictionEvents(c: ClassificationCase) {
  return c.events.map((e, i) => ({ id: `e${i}`, features: {}, prediction: c.classNames[e.p], score: e.probs![1] }));
}

async function sigtermRestart(env: Record<string, string>): Promise<void> {
  const dataDir = tempDir();
  const settings = { MODELWATCH_CHECKPOINT_SECONDS: '60', ...env };
  let e = await start(dataDir, settings);
  const ref = { features: { x: [1, 2, 3] }, predictions: ['neg', 'pos'], positive_class: 'pos' };
  expect((await e.api('PUT', '/api/v1/models/clf/versions/v1/reference', ref)).status).toBe(200);
  const events = predictionEvents(binary);
  for (let i = 0; i < events.length; i += 1000)
    await post(e, '/api/v1/predictions', { model: 'clf', version: 'v1', events: events.slice(i, i + 1000) });
  await post(e, '/api/v1/feedback', { model: 'clf', events: labelEvents(binary, 0, 900) });
  await post(e, '/api/v1/kpis', { model: 'clf', kpis: { revenue: 42.5 } });
  // Labels that came before their predictions (case 10) are held across the restart.
  const early = Array.from({ length: 40 }, (_, i) => ({ id: `early${i}`, label: i % 2 ? 'pos' : 'neg' }));
  expect(await post(e, '/api/v1/feedback', { model: 'clf', events: early })).toMatchObject({ accepted: 40, held: 40, joined: 0 });
  const before = await durableSeries(e);
  expect(sample(before, 'modelwatch_labels_held', { model: 'clf' })).toBe(40);
  expect(sample(before, 'modelwatch_predictions_total', { model: 'clf' })).toBe(3000);
  expect(await e.stop()).toBe(0);

  e = await start(dataDir, settings);
  expect(await durableSeries(e)).toEqual(before);
  const answer = await post(e, '/api/v1/feedback', { model: 'clf', events: labelEvents(binary, 900, 3000) });
  expect(answer.accepted).toBe(2100);
  const m = await metrics(e);
  expect(sample(m, 'modelwatch_feedback_total', { model: 'clf', version: 'v1', outcome: 'joined' })).toBe(3000);
  expect(sample(m, 'modelwatch_model_window_labeled', { model: 'clf' })).toBe(3000);
  const x = binary.expected;
  expect(sample(m, 'modelwatch_model_accuracy_ratio', { model: 'clf' })).toBeCloseTo(x.accuracy, 12);
  expect(sample(m, 'modelwatch_model_log_loss', { model: 'clf' })).toBeCloseTo(x.logLoss!, 9);
  expect(Math.abs(sample(m, 'modelwatch_model_roc_auc', { model: 'clf' })! - x.rocAuc!)).toBeLessThan(0.005);
  expect(sample(m, 'modelwatch_model_recall_ratio', { model: 'clf', class: 'pos' })).toBeCloseTo(x.perClass.pos.recall, 12);
  expect(sample(m, 'modelwatch_business_kpi', { model: 'clf', kpi: 'revenue' })).toBe(42.5);
  // The held labels join the predictions that come after the restart; a retry of a prediction
  // whose label joined before the restart is still recognised as one.
  const late = early.map((l, i) => ({ id: l.id, features: {}, prediction: i % 4 < 2 ? 'pos' : 'neg', score: i % 4 < 2 ? 0.8 : 0.2 }));
  expect(await post(e, '/api/v1/predictions', { model: 'clf', version: 'v1', events: late })).toMatchObject({ accepted: 40 });
  const retry = predictionEvents(binary).slice(0, 5);
  expect(await post(e, '/api/v1/predictions', { model: 'clf', version: 'v1', events: retry })).toMatchObject({
    accepted: 0,
    dropped: { duplicate_id: 5 },
  });
  const joined = await metrics(e);
  expect(sample(joined, 'modelwatch_labels_held', { model: 'clf' })).toBeUndefined();
  expect(sample(joined, 'modelwatch_feedback_total', { model: 'clf', version: 'v1', outcome: 'joined' })).toBe(3040);
  expect(sample(joined, 'modelwatch_predictions_total', { model: 'clf' })).toBe(3040);
  // early{i}: label pos iff i odd, prediction pos iff i % 4 < 2: right for i % 4 in {1, 2}.
  expect(sample(joined, 'modelwatch_correct_predictions_total', { model: 'clf' })).toBe(
    sample(m, 'modelwatch_correct_predictions_total', { model: 'clf' })! + 20,
  );
  expect(await e.stop()).toBe(0);
}

describe('restarts of the exporter process', () => {
  it('SIGTERM on SQLite: windows equal before/after; labels after the restart join predictions before it (sklearn)', async () => {
    await sigtermRestart({});
  }, 90_000);

  it.skipIf(skipPg)(
    'SIGTERM on PostgreSQL: the same',
    async () => {
      await sigtermRestart({ MODELWATCH_DATABASE_URL: await pg().createDatabase('sigterm') });
    },
    90_000,
  );

  it('kill -9 during steady ingest loses at most the last checkpoint interval, never half a batch; audit verifies', async () => {
    const dataDir = tempDir();
    const env = { MODELWATCH_CHECKPOINT_SECONDS: '1' };
    let e = await start(dataDir, env);
    await post(e, '/api/v1/models/steady/versions', { version: 'v1' });
    const batch = 50;
    const acked: Array<{ at: number; total: number }> = [];
    let total = 0;
    const until = Date.now() + 6000;
    for (let b = 0; Date.now() < until; b++) {
      const events = Array.from({ length: batch }, (_, i) => ({ id: `s${b}-${i}`, features: {}, prediction: i % 2 ? 'a' : 'b' }));
      await post(e, '/api/v1/predictions', { model: 'steady', version: 'v1', events });
      total += batch;
      acked.push({ at: Date.now(), total });
      await new Promise((r) => setTimeout(r, 20));
    }
    const killedAt = Date.now();
    await kill9(e);

    e = await start(dataDir, env);
    const m = await metrics(e);
    const restored = sample(m, 'modelwatch_predictions_total', { model: 'steady' })!;
    // Everything acknowledged more than one interval (plus the checkpoint's own time) before the kill is there.
    const floor = acked.filter((a) => a.at < killedAt - 2500).at(-1)!.total;
    expect(restored).toBeGreaterThanOrEqual(floor);
    expect(restored).toBeLessThanOrEqual(total);
    expect(restored % batch).toBe(0);
    // The window and the counter come from the same snapshot.
    expect(sample(m, 'modelwatch_model_window_predictions', { model: 'steady' })).toBe(restored);
    expect((await e.api('GET', '/api/v1/audit/verify')).data).toMatchObject({ ok: true });
    await e.stop();
  }, 90_000);

  it('webhook outbox: a change made just before kill -9 is delivered after restart, once per delivery id', async () => {
    const receiver = await startSlowReceiver();
    try {
      const dataDir = tempDir();
      const env = { MODELWATCH_WEBHOOK_ALLOW_PRIVATE: 'true' };
      let e = await start(dataDir, env);
      await post(e, '/api/v1/webhooks', { url: receiver.url, events: ['version.registered'], secret: 'outbox-crash-secret-0123456789' });
      // The receiver holds the first attempt open, so the process dies mid-delivery.
      receiver.delayMs = 5000;
      await post(e, '/api/v1/models/crash/versions', { version: 'v9' });
      await until('the first attempt to reach the receiver', async () => (receiver.ids.length > 0 ? true : undefined), { timeoutMs: 5000 });
      await kill9(e);
      receiver.delayMs = 0;

      e = await start(dataDir, env);
      const hooks = (await e.api('GET', '/api/v1/webhooks')).data as { webhooks: Array<{ id: string }> };
      const deliveries = await until(
        'the delivery to be recorded as delivered after the restart',
        async () => {
          const d = (await e.api('GET', `/api/v1/webhooks/${hooks.webhooks[0].id}/deliveries`)).data as {
            deliveries: Array<{ id: string; status: string; attempts: number }>;
          };
          return d.deliveries.every((x) => x.status === 'delivered') && d.deliveries.length > 0 ? d.deliveries : undefined;
        },
        { timeoutMs: 40_000, intervalMs: 250 },
      );
      expect(deliveries).toHaveLength(1);
      // Sent before the crash and again after it: the same delivery id, which receivers deduplicate by.
      expect(new Set(receiver.ids)).toEqual(new Set([deliveries[0].id]));
      expect(receiver.ids.length).toBeGreaterThanOrEqual(2);
      expect(JSON.parse(receiver.bodies.at(-1)!)).toMatchObject({ event: 'version.registered', data: { model: 'crash', version: 'v9' } });
      await e.stop();
    } finally {
      await receiver.close();
    }
  }, 90_000);

  it.skipIf(skipPg)(
    'replicas: model traffic moved between two exporters on one PostgreSQL keeps its windows',
    async () => {
      const env = { MODELWATCH_DATABASE_URL: await pg().createDatabase('replicas'), MODELWATCH_CHECKPOINT_SECONDS: '60' };
      const a = await start(tempDir(), env);
      const b = await start(tempDir(), env);
      const events = predictionEvents(binary);
      await post(a, '/api/v1/predictions', { model: 'moved', version: 'v1', positive_class: 'pos', events: events.slice(0, 2000) });
      await post(a, '/api/v1/feedback', { model: 'moved', events: labelEvents(binary, 0, 500) });
      expect(await a.stop()).toBe(0);
      // B started before A had the model; its next events for it arrive now.
      await post(b, '/api/v1/predictions', { model: 'moved', version: 'v1', positive_class: 'pos', events: events.slice(2000) });
      expect((await post(b, '/api/v1/feedback', { model: 'moved', events: labelEvents(binary, 500, 3000) })).accepted).toBe(2500);
      const m = await metrics(b);
      expect(sample(m, 'modelwatch_predictions_total', { model: 'moved' })).toBe(3000);
      expect(sample(m, 'modelwatch_feedback_total', { model: 'moved', outcome: 'joined' })).toBe(3000);
      expect(sample(m, 'modelwatch_model_accuracy_ratio', { model: 'moved' })).toBeCloseTo(binary.expected.accuracy, 12);
      await b.stop();
    },
    90_000,
  );
});
