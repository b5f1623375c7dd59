import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startExporter, until, type RunningExporter } from '@modelwatch/test-support';
import { afterAll, expect, it } from 'vitest';
import { sample } from '../ingest/helpers.js';
import { metrics } from './process-helpers.js';

/*
 * After a crash the journal replays the batches at their recorded times, the window clock's
 * expiries included: a prediction that had expired before the crash is still expired (its label
 * is too late), and one that had not still waits its full time.
 */

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-pending-crash-'));
const running: RunningExporter[] = [];
const env = { MODELWATCH_CHECKPOINT_SECONDS: '3600', MODELWATCH_PENDING_PREDICTION_SECONDS: '15' };
const start = async () => {
  const e = await startExporter({ fromSource: true, dataDir, adminToken: 'pending-crash-admin-token-0123456789', env });
  running.push(e);
  return e;
};
afterAll(async () => {
  for (const e of running) await e.stop().catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const predictions = (id: string) => ({
  model: 'm',
  version: 'v1',
  positive_class: '1',
  events: [{ id, features: {}, prediction: '1', score: 0.7 }],
});
const label = (id: string) => ({ model: 'm', events: [{ id, label: '1' }] });

it('SIGKILL before any checkpoint: the replay expires what had expired, and keeps what had not', async () => {
  let e = await start();
  expect((await e.api('POST', '/api/v1/predictions', predictions('x'))).status).toBe(200);
  await until(
    'x to expire',
    async () => (sample(await metrics(e), 'modelwatch_dropped_total', { reason: 'pending_expired' }) === 1 ? true : undefined),
    { timeoutMs: 30_000, child: e.child },
  );
  expect((await e.api('POST', '/api/v1/predictions', predictions('y'))).status).toBe(200);
  e.child.process.kill('SIGKILL');
  await e.stop();

  e = await start();
  expect((await e.api('POST', '/api/v1/feedback', label('x'))).data).toMatchObject({
    accepted: 0,
    held: 0,
    dropped: { prediction_expired: 1 },
  });
  expect((await e.api('POST', '/api/v1/feedback', label('y'))).data).toMatchObject({ accepted: 1, joined: 1 });
  expect(await e.stop()).toBe(0);
}, 90_000);
