import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningExporter } from '@modelwatch/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shouldSkipPostgres, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { sample } from '../ingest/helpers.js';
import { exporter, kill9, metrics } from './process-helpers.js';

/*
 * kill -9 at random moments while several clients ingest concurrently, with checkpoints every
 * second (so kills land before, during and right after checkpoints and journal truncation).
 * Every batch not acknowledged at the kill is retried after the restart, as a client would: the
 * predictions must then be counted exactly once each (none lost, none doubled) and every label
 * must have joined.
 */

const skipPg = shouldSkipPostgres();
let pg: TestPostgres | undefined;
const dirs: string[] = [];
const running: RunningExporter[] = [];

beforeAll(async () => {
  if (!skipPg) pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  for (const e of running) await e.stop().catch(() => undefined);
  await pg?.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

interface Batch {
  path: string;
  body: unknown;
}

/** Client `c`'s batches: predictions with features, then labels for half of them and early labels for the next. */
function batches(c: number, rounds: number): Batch[] {
  const out: Batch[] = [];
  for (let r = 0; r < rounds; r++) {
    const ids = Array.from({ length: 20 }, (_, k) => `c${c}r${r}k${k}`);
    // Early labels (before their predictions) for this round's last 5 ids.
    out.push({ path: '/api/v1/feedback', body: { model: 'm', events: ids.slice(15).map((id) => ({ id, label: 'pos' })) } });
    out.push({
      path: '/api/v1/predictions',
      body: {
        model: 'm',
        version: 'v1',
        positive_class: 'pos',
        events: ids.map((id, k) => ({
          id,
          features: { x: k, colour: ['red', 'blue'][k % 2] },
          prediction: k % 2 ? 'pos' : 'neg',
          score: k / 20,
        })),
      },
    });
    out.push({
      path: '/api/v1/feedback',
      body: { model: 'm', events: ids.slice(0, 15).map((id, k) => ({ id, label: k % 3 ? 'pos' : 'neg' })) },
    });
    out.push({ path: '/api/v1/kpis', body: { model: 'm', kpis: { [`c${c}`]: r } } });
  }
  return out;
}

async function send(e: RunningExporter, b: Batch): Promise<number> {
  try {
    return (await e.api('POST', b.path, b.body)).status;
  } catch {
    return 0;
  }
}

async function chaos(env: Record<string, string>, kills: number): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-chaos-'));
  dirs.push(dataDir);
  const settings = { MODELWATCH_CHECKPOINT_SECONDS: '1', ...env };
  const clients = [0, 1, 2, 3].map((c) => batches(c, 30));
  const next = clients.map(() => 0);
  let e = await exporter(dataDir, settings);
  running.push(e);
  // KPIs need the model to exist (404 otherwise); the labels of a model with no state yet are held, not checkpointed.
  expect(
    await send(e, {
      path: '/api/v1/predictions',
      body: {
        model: 'm',
        version: 'v1',
        positive_class: 'pos',
        events: [{ id: 'seed', features: { x: 0, colour: 'red' }, prediction: 'neg', score: 0.1 }],
      },
    }),
  ).toBe(200);
  for (let k = 0; k <= kills; k++) {
    let stop = false;
    const workers = clients.map(async (bs, c) => {
      while (!stop && next[c] < bs.length) {
        const status = await send(e, bs[next[c]]);
        // Unacknowledged (killed mid-request, 503): retried, from the same batch on.
        if (status === 200 || status === 201) next[c]++;
        else if (status !== 0 && status !== 503) throw new Error(`${bs[next[c]].path} answered ${status}`);
      }
    });
    if (k < kills) {
      await new Promise((r) => setTimeout(r, 700 + Math.random() * 1500));
      await kill9(e);
      stop = true;
      await Promise.all(workers);
      e = await exporter(dataDir, settings);
      running.push(e);
    } else await Promise.all(workers);
  }
  const m = await metrics(e);
  expect(sample(m, 'modelwatch_predictions_total', { model: 'm', version: 'v1' })).toBe(4 * 30 * 20 + 1);
  expect(sample(m, 'modelwatch_feedback_total', { model: 'm', version: 'v1', outcome: 'joined' })).toBe(4 * 30 * 20);
  expect(sample(m, 'modelwatch_labels_held', { model: 'm' }) ?? 0).toBe(0);
  for (let c = 0; c < 4; c++) expect(sample(m, 'modelwatch_business_kpi', { model: 'm', kpi: `c${c}` })).toBe(29);
  expect((await e.api('GET', '/api/v1/audit/verify')).data).toMatchObject({ ok: true });
  await e.stop();
}

describe('kill -9 at random moments under concurrent ingest', () => {
  it('SQLite: every acknowledged event counted once after 4 kills', () => chaos({}, 4), 240_000);
  it.skipIf(skipPg)(
    'PostgreSQL: every acknowledged event counted once after 4 kills',
    async () => {
      await chaos({ MODELWATCH_DATABASE_URL: await pg!.createDatabase('chaos') }, 4);
    },
    240_000,
  );
});
