import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningExporter } from '@modelwatch/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shouldSkipPostgres, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { exporter } from './process-helpers.js';

/*
 * PostgreSQL stops (crash, failover) while the exporter runs: ingest must answer 503 with
 * Retry-After — never 500, never a 2xx for a batch the journal could not keep.
 */

const skipPg = shouldSkipPostgres();
let pg: TestPostgres | undefined;
let e: RunningExporter | undefined;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-pgdown-'));

beforeAll(async () => {
  if (!skipPg) pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  await e?.stop().catch(() => undefined);
  await pg?.stop().catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const predictions = (id: string) => ({
  model: 'm',
  version: 'v1',
  positive_class: 'pos',
  events: [{ id, features: { x: 1 }, prediction: 'pos', score: 0.7 }],
});

describe('PostgreSQL down under a running exporter', () => {
  it.skipIf(skipPg)(
    'ingest answers 503 with Retry-After for every endpoint',
    async () => {
      e = await exporter(dataDir, { MODELWATCH_DATABASE_URL: await pg!.createDatabase('pgdown'), MODELWATCH_CHECKPOINT_SECONDS: '1' });
      expect((await e.api('POST', '/api/v1/predictions', predictions('a'))).status).toBe(200);
      await pg!.stop();
      const answers: Array<[string, number]> = [];
      for (const [p, body] of [
        ['/api/v1/predictions', predictions('b')],
        ['/api/v1/predictions', { ...predictions('c'), model: 'new-model' }],
        ['/api/v1/feedback', { model: 'm', events: [{ id: 'a', label: 'pos' }] }],
        ['/api/v1/kpis', { model: 'm', kpis: { revenue: 1 } }],
      ] as const) {
        const r = await fetch(`${e.url}${p}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${e.adminToken}` },
          body: JSON.stringify(body),
        });
        answers.push([p, r.status]);
        if (r.status === 503) expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
      }
      const ref = await e.api('PUT', '/api/v1/models/m/versions/v2/reference', { features: { x: [1, 2, 3] } });
      answers.push(['reference', ref.status]);
      expect(answers).toEqual(answers.map(([p]) => [p, 503]));
    },
    120_000,
  );
});
