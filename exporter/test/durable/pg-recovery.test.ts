import { describe, expect, it } from 'vitest';
import { sample } from '../ingest/helpers.js';
import { durableSeries, kill9, metrics, processFixture } from './process-helpers.js';

/*
 * PostgreSQL stops under a running exporter (every connection cut) and comes back on the same address (a restarted
 * pod, a failover back): the exporter must recover by itself — no restart, no 500 — and keep
 * exactly what it acknowledged, before, during and after the outage, through a later kill -9.
 */

const fx = processFixture('modelwatch-pgrecovery-');

const predictions = (ids: string[]) => ({
  model: 'm',
  version: 'v1',
  positive_class: 'pos',
  events: ids.map((id, i) => ({ id, features: { x: i }, prediction: i % 2 ? 'pos' : 'neg', score: i % 2 ? 0.8 : 0.2 })),
});

/** Retries `call` (as a client honouring 503 Retry-After would) until it stops answering 503. */
async function untilNot503(call: () => Promise<number>, timeoutMs: number): Promise<{ status: number; tries: number }> {
  const deadline = Date.now() + timeoutMs;
  for (let tries = 1; ; tries++) {
    const status = await call();
    if (status !== 503 || Date.now() > deadline) return { status, tries };
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('PostgreSQL stops and returns under a running exporter', () => {
  it.skipIf(fx.skipPg)(
    'ingest and the registry recover without a restart; what was acknowledged survives a later kill -9',
    async () => {
      const settings = { MODELWATCH_DATABASE_URL: await fx.pg().createDatabase('recovery'), MODELWATCH_CHECKPOINT_SECONDS: '1' };
      const dataDir = fx.tempDir();
      let e = await fx.start(dataDir, settings);
      expect((await e.api('POST', '/api/v1/predictions', predictions(['a0', 'a1', 'a2', 'a3']))).status).toBe(200);
      expect((await e.api('POST', '/api/v1/models/m/versions', { version: 'v1' })).status).toBe(201);

      await fx.pg().pause();
      const down = await e.api('POST', '/api/v1/predictions', predictions(['lost0', 'lost1']));
      expect(down.status).toBe(503);
      expect((await fetch(`${e.url}/readyz`)).status).toBe(503);
      // Scrapes go on from memory while the store is away.
      expect((await fetch(`${e.url}/metrics`)).status).toBe(200);

      await fx.pg().resume();
      const back = await untilNot503(async () => (await e.api('POST', '/api/v1/predictions', predictions(['b0', 'b1']))).status, 30_000);
      expect(back.status).toBe(200);
      expect((await fetch(`${e.url}/readyz`)).status).toBe(200);
      expect((await e.api('POST', '/api/v1/feedback', { model: 'm', events: [{ id: 'a1', label: 'pos' }] })).status).toBe(200);
      expect((await e.api('POST', '/api/v1/models/m/versions', { version: 'v2' })).status).toBe(201);
      expect((await e.api('GET', '/api/v1/audit/verify')).data).toMatchObject({ ok: true });

      const m = await metrics(e);
      // a0..a3 and b0, b1: the batch refused while the store was down is not counted.
      expect(sample(m, 'modelwatch_predictions_total', { model: 'm', version: 'v1' })).toBe(6);
      expect(sample(m, 'modelwatch_feedback_total', { model: 'm', version: 'v1', outcome: 'joined' })).toBe(1);
      const before = await durableSeries(e);

      await kill9(e);
      e = await fx.start(dataDir, settings);
      expect(await durableSeries(e)).toEqual(before);
      const listed = await e.api('GET', '/api/v1/models/m/versions');
      expect(listed.status).toBe(200);
      expect(JSON.stringify(listed.data)).toMatch(/"v1"[\s\S]*"v2"|"v2"[\s\S]*"v1"/);
      expect((await e.api('GET', '/api/v1/audit/verify')).data).toMatchObject({ ok: true });
    },
    180_000,
  );
});
